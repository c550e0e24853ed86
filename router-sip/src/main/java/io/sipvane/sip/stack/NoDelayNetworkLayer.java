package io.sipvane.sip.stack;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.core.net.SslNetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.util.Properties;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every socket the stack opens, as the stock network layer makes it, with TCP_NODELAY set on
 * each TCP and TLS socket, connected or accepted (stack property
 * {@code gov.nist.javax.sip.NETWORK_LAYER}; instantiated by name, hence public with a no-arg
 * constructor).
 *
 * <p>Why: SIP over TCP writes small messages back to back (a 180 then a 200, a 200 then a BYE),
 * each in one write. With Nagle's algorithm the second waits until the first is acknowledged,
 * and a peer that delays its ACKs (40 ms on Linux, up to 200 ms elsewhere) stalls it that long.
 *
 * <p>A failed connect is where the stack's own log is loudest (the whole message, a dump of
 * its connection table and a stack trace, all now at DEBUG in {@link Slf4jStackLogger}), so
 * the one WARN line for it is written here: the destination and the reason, at most one per
 * destination per 10 s ({@link ConnectFailures}).
 */
public final class NoDelayNetworkLayer implements NetworkLayer {
    private static final Logger LOG = LoggerFactory.getLogger(NoDelayNetworkLayer.class);

    /** The stock layer: set once by {@link #setSipStack}, before the stack opens any socket. */
    private volatile NetworkLayer stock = DefaultNetworkLayer.SINGLETON;
    /** Replaced once by {@link #use} before the stack starts (the router's clock); the default for stacks nobody configures. */
    private volatile ConnectFailures failures = new ConnectFailures(com.github.benmanes.caffeine.cache.Ticker.systemTicker());
    /** The router's TLS, set once by {@link #use(TlsSockets)} before any socket; null: the stock layer's (test peers). */
    private volatile TlsSockets tls;

    public NoDelayNetworkLayer() {}

    void use(ConnectFailures failures) {
        this.failures = failures;
    }

    void use(TlsSockets tls) {
        this.tls = tls;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new NoDelayServerSocket(port, backlog, bindAddress);
    }

    /**
     * TLS listeners: accepted TLS sockets keep the JDK's default (Nagle on); wrapping an
     * {@link SSLServerSocket} means delegating its whole interface. Outgoing TLS sockets get
     * TCP_NODELAY.
     */
    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        TlsSockets router = tls;
        return router != null ? router.listen(port, backlog, bindAddress) : stock.createSSLServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return connect("TCP", address, port, () -> stock.createSocket(address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        return connect("TCP", address, port, () -> stock.createSocket(address, port, localAddress));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return connect("TCP", address, port, () -> stock.createSocket(address, port, myAddress, myPort));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        TlsSockets router = tls;
        if (router != null) {
            return connect("TLS", address, port,
                    () -> router.connect(address, port, localAddress, StackProperties.CONNECTION_TIMEOUT_MS));
        }
        return connect("TLS", address, port, () -> localAddress == null ? stock.createSSLSocket(address, port)
                : stock.createSSLSocket(address, port, localAddress));
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return stock.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        return stock.createDatagramSocket(port, laddr);
    }

    /**
     * Picks the stock layer the stack would have picked: with a keystore configured
     * ({@code javax.net.ssl.keyStore} among the stack properties) the stack builds an
     * {@link SslNetworkLayer} from it, and setting this class as the network layer replaces
     * that one, so it is built here from the same properties; otherwise the default layer.
     */
    @Override
    public void setSipStack(SipStackImpl sipStack) {
        Properties p = sipStack.getConfigurationProperties();
        String keyStore = p.getProperty("javax.net.ssl.keyStore");
        if (keyStore == null) {
            return;
        }
        String keyStorePassword = p.getProperty("javax.net.ssl.keyStorePassword");
        String trustStorePassword = p.getProperty("javax.net.ssl.trustStorePassword", keyStorePassword);
        String keyStoreType = p.getProperty("javax.net.ssl.keyStoreType");
        String trustStoreType = p.getProperty("javax.net.ssl.trustStoreType", keyStoreType);
        try {
            stock = new SslNetworkLayer(sipStack, p.getProperty("javax.net.ssl.trustStore", keyStore), keyStore,
                    keyStorePassword == null ? null : keyStorePassword.toCharArray(),
                    trustStorePassword == null ? null : trustStorePassword.toCharArray(), keyStoreType, trustStoreType);
        } catch (GeneralSecurityException | IOException e) {
            // the stack turns this into a failed start naming this class
            throw new IllegalStateException("TLS keystore " + keyStore + ": " + e.getMessage(), e);
        }
    }

    static <S extends Socket> S noDelay(S socket) throws SocketException {
        try {
            socket.setTcpNoDelay(true);
        } catch (SocketException e) {
            closeQuietly(socket);
            throw e;
        }
        return socket;
    }

    /** A socket the stock layer (or the router's TLS) connects: TCP_NODELAY on it, or the failure reported once, then rethrown. */
    private <S extends Socket> S connect(String transport, InetAddress address, int port, Connect<S> connect)
            throws IOException {
        try {
            return noDelay(connect.open());
        } catch (IOException e) {
            failures.failed(transport, address, port, e);
            throw e;
        }
    }

    private interface Connect<S extends Socket> {
        S open() throws IOException;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket we could not configure: nothing more to do
        }
    }

    /** A listening socket whose accepted connections have TCP_NODELAY set before the stack sees them. */
    static final class NoDelayServerSocket extends ServerSocket {
        NoDelayServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
            super(port, backlog, bindAddress);
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = super.accept();
            try {
                s.setTcpNoDelay(true);
            } catch (SocketException e) {
                // the connection died between accept and here: the stack finds out on its first read
                LOG.debug("TCP_NODELAY on an accepted connection failed: {}", e.toString());
            }
            return s;
        }
    }
}
