package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.sipvane.sip.testing.LogCapture;
import io.sipvane.sip.testing.TestUa;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class NoDelayNetworkLayerTest {
    private final NoDelayNetworkLayer layer = new NoDelayNetworkLayer();
    private final InetAddress loopback = InetAddress.getLoopbackAddress();

    @Test
    void acceptedAndConnectedSockets_haveTcpNoDelay() throws Exception {
        try (ServerSocket server = layer.createServerSocket(0, 50, loopback);
             Socket connected = layer.createSocket(loopback, server.getLocalPort(), loopback);
             Socket accepted = server.accept()) {
            assertThat(connected.getTcpNoDelay()).isTrue();
            assertThat(accepted.getTcpNoDelay()).isTrue();
        }
        try (ServerSocket server = layer.createServerSocket(0, 50, loopback);
             Socket a = layer.createSocket(loopback, server.getLocalPort());
             Socket b = layer.createSocket(loopback, server.getLocalPort(), loopback, 0)) {
            assertThat(a.getTcpNoDelay()).isTrue();
            assertThat(b.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void plainSockets_doNotHaveIt_soTheCheckAboveMeansSomething() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, loopback);
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress(loopback, server.getLocalPort()));
            try (Socket accepted = server.accept()) {
                assertThat(s.getTcpNoDelay()).isFalse();
                assertThat(accepted.getTcpNoDelay()).isFalse();
            }
        }
    }

    @Test
    void aConfiguredKeystore_isUsedAsTheStackWouldUseIt_soTheLayerDoesNotDropTls() {
        java.util.Properties p = StackProperties.create("nodelay-tls-test");
        p.setProperty("javax.net.ssl.keyStore", "/nonexistent/keystore.p12");
        p.setProperty("javax.net.ssl.keyStorePassword", "secret");
        javax.sip.SipFactory factory = javax.sip.SipFactory.getInstance();
        factory.setPathName("gov.nist");
        assertThatThrownBy(() -> factory.createSipStack(p))
                .hasStackTraceContaining("TLS keystore /nonexistent/keystore.p12");
    }

    @Test
    void refusedConnect_isThrownToTheStack_withOneWarnLine() throws Exception {
        int dead = TestUa.freePort();
        try (LogCapture log = LogCapture.serverLevels()) {
            assertThatThrownBy(() -> layer.createSocket(loopback, dead, loopback)).isInstanceOf(ConnectException.class);
            assertThat(log.lines(Level.WARN)).containsExactly("WARN " + ConnectFailures.class.getName()
                    + " - TCP connection to 127.0.0.1:" + dead + " failed: Connection refused");
        }
    }
}
