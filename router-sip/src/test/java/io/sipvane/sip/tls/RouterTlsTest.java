package io.sipvane.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.config.TlsSettings;
import io.sipvane.core.config.TlsSettings.ClientAuth;
import io.sipvane.core.config.TlsSettings.TlsDestination;
import io.sipvane.sip.testing.LogCapture;
import io.sipvane.sip.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RouterTls} on real sockets: what a peer sees of the router's listener and connections. */
class RouterTlsTest {
    /** 127.0.0.1 without a name (getLoopbackAddress() carries "localhost", which the router would verify instead). */
    private static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    @TempDir
    Path dir;
    private TestPki pki;
    private TestPki.Issued router;
    private Path certificate;
    private Path key;

    @BeforeEach
    void files() throws IOException {
        pki = TestPki.create(dir, "test");
        router = pki.issue("router-1", "127.0.0.1");
        // the files the router reads, replaced in place like a renewal would
        certificate = Files.copy(router.certificatePem(), dir.resolve("router.crt"));
        key = Files.copy(router.keyPem(), dir.resolve("router.key"));
    }

    private TlsSettings settings(List<TlsDestination> destinations) {
        return new TlsSettings(certificate.toString(), key.toString(), pki.caPem.toString(), ClientAuth.NONE, "TLSv1.2",
                destinations);
    }

    @Test
    void connect_sendsTheExpectedNameAsSni_andVerifiesItAgainstTheCertificate() throws Exception {
        TestPki.Issued pbx = pki.issue("pbx", "pbx.sipvane.test");
        RouterTls tls = new RouterTls(settings(List.of()));
        try (SSLServerSocket server = server(pbx)) {
            CompletableFuture<List<String>> sni = accept(server);
            tls.expect(LOOPBACK, server.getLocalPort(), "pbx.sipvane.test");
            try (SSLSocket s = tls.connect(LOOPBACK, server.getLocalPort(), null, 2000)) {
                s.startHandshake();
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            assertThat(sni.get(10, TimeUnit.SECONDS)).containsExactly("pbx.sipvane.test");
        }
    }

    @Test
    void connect_withoutAnExpectedName_checksTheAddress() throws Exception {
        TestPki.Issued pbx = pki.issue("pbx", "pbx.sipvane.test");
        RouterTls tls = new RouterTls(settings(List.of()));
        try (SSLServerSocket server = server(pbx)) {
            accept(server);
            try (SSLSocket s = tls.connect(LOOPBACK, server.getLocalPort(), null, 2000)) {
                assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("127.0.0.1");
            }
        }
    }

    @Test
    void replacedFiles_areUsedByNewConnections_andOpenOnesKeepTheirs() throws Exception {
        RouterTls tls = new RouterTls(settings(List.of()));
        try (SSLServerSocket listener = tls.listen(0, 10, LOOPBACK)) {
            CompletableFuture<?> serving = serve(listener, 2);
            try (SSLSocket before = client(listener.getLocalPort())) {
                assertThat(peer(before).getSerialNumber()).isEqualTo(router.certificate().getSerialNumber());

                TestPki.Issued renewed = pki.issue("router-2", "127.0.0.1");
                replace(renewed.certificatePem(), certificate);
                replace(renewed.keyPem(), key);
                assertThat(tls.reloadIfChanged()).isTrue();
                assertThat(tls.reloadIfChanged()).as("nothing changed since").isFalse();

                try (SSLSocket after = client(listener.getLocalPort())) {
                    assertThat(peer(after).getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber());
                }
                // the connection made before still works, with the certificate it was made with
                before.getOutputStream().write('x');
                assertThat(before.getInputStream().read()).isEqualTo('x');
                assertThat(peer(before).getSerialNumber()).isEqualTo(router.certificate().getSerialNumber());
            }
            serving.cancel(true);
        }
    }

    @Test
    void unreadableReplacement_keepsTheRunningCertificate_withOneWarning() throws Exception {
        RouterTls tls = new RouterTls(settings(List.of()));
        try (LogCapture log = LogCapture.serverLevels(); SSLServerSocket listener = tls.listen(0, 10, LOOPBACK)) {
            serve(listener, 1);
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");

            assertThat(tls.reloadIfChanged()).isFalse();

            assertThat(log.lines(ch.qos.logback.classic.Level.WARN)).singleElement().asString().contains("tls.key")
                    .contains(key.toString()).contains("running certificates stay");
            try (SSLSocket s = client(listener.getLocalPort())) {
                assertThat(peer(s).getSerialNumber()).isEqualTo(router.certificate().getSerialNumber());
            }
        }
    }

    @Test
    void startWithAKeyOfAnotherCertificate_namesBothFiles() throws Exception {
        Files.copy(pki.issue("other", "127.0.0.1").keyPem(), key, StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> new RouterTls(settings(List.of()))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("tls.key: ").hasMessageContaining(key.toString())
                .hasMessageContaining(certificate.toString());
    }

    @Test
    void listener_refusesTls11_and3des_andOffersOnlyForwardSecretAeadSuites() throws Exception {
        RouterTls tls = new RouterTls(settings(List.of()));
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.suites()).isNotEmpty().allSatisfy(suite -> assertThat(suite)
                .doesNotContain("anon", "NULL", "EXPORT", "RC4", "3DES", "CBC").containsAnyOf("GCM", "CHACHA20"));
        try (SSLServerSocket listener = tls.listen(0, 10, LOOPBACK)) {
            serve(listener, 2);
            try (SSLSocket old = client(listener.getLocalPort())) {
                old.setEnabledProtocols(new String[] {"TLSv1.1"});
                assertThatThrownBy(old::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
            }
            try (SSLSocket cbc = client(listener.getLocalPort())) {
                cbc.setEnabledProtocols(new String[] {"TLSv1.2"});
                cbc.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"});
                assertThatThrownBy(cbc::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
            }
        }
    }

    @Test
    void minVersion13_offersOnlyTls13() throws Exception {
        RouterTls tls = new RouterTls(new TlsSettings(certificate.toString(), key.toString(), null, ClientAuth.NONE,
                "TLSv1.3", List.of()));
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
    }

    /** A TLS client of the router's listener trusting the test CA. */
    private SSLSocket client(int port) throws Exception {
        return pki.connect(port);
    }

    private static X509Certificate peer(SSLSocket s) throws Exception {
        return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }

    /** A plain JDK TLS server with {@code identity}, as a destination. */
    private static SSLServerSocket server(TestPki.Issued identity) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(identity.keyStore())) {
            keys.load(in, TestPki.PASSWORD);
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, TestPki.PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 10, LOOPBACK);
    }

    /** Accepts one connection and reports the server names its client asked for. */
    private static CompletableFuture<List<String>> accept(SSLServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                return ((ExtendedSSLSession) s.getSession()).getRequestedServerNames().stream()
                        .map(n -> ((SNIHostName) n).getAsciiName()).toList();
            } catch (IOException e) {
                return List.of("failed: " + e);
            }
        });
    }

    /** Echoes bytes on up to {@code connections} accepted connections. */
    private static CompletableFuture<?> serve(SSLServerSocket listener, int connections) {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < connections; i++) {
                try {
                    SSLSocket s = (SSLSocket) listener.accept();
                    Thread t = new Thread(() -> {
                        try (s) {
                            for (int b = s.getInputStream().read(); b >= 0; b = s.getInputStream().read()) {
                                s.getOutputStream().write(b);
                            }
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void replace(Path from, Path to) throws IOException {
        Path tmp = Files.copy(from, to.resolveSibling(to.getFileName() + ".new"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
