package io.sipvane.sip.stack;

import java.io.IOException;
import java.net.InetAddress;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Where the stack's TLS sockets come from when the router runs TLS ({@code io.sipvane.sip.tls}):
 * listening sockets with the router's certificate, and connections that verify the peer under
 * the host name the request was routed to.
 */
public interface TlsSockets {

    /** A listening TLS socket (the stack sets client authentication, protocols and suites on it). */
    SSLServerSocket listen(int port, int backlog, InetAddress bindAddress) throws IOException;

    /**
     * A TCP connection to {@code address:port}, connected within {@code timeoutMs}, wrapped in
     * TLS as a client of the host name last {@link #expect expected} there (the address itself
     * when none); the stack starts the handshake.
     */
    SSLSocket connect(InetAddress address, int port, InetAddress localAddress, int timeoutMs) throws IOException;

    /** Records that a request routed to {@code host} goes to {@code address:port}: the name its certificate must carry. */
    void expect(InetAddress address, int port, String host);

    /** The protocols offered, newest first. */
    String[] protocols();

    /** The cipher suites offered. */
    String[] suites();
}
