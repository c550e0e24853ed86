package io.sipvane.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.sip.testing.Closer;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.TestPki;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import io.sipvane.sip.testing.TestUa.TlsIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls through real TLS on loopback: JAIN-SIP user agents with certificates of a test CA on
 * one side, the router's TLS listener and its verified connections on the other.
 */
class TlsCallTest {
    private static final long WAIT = 20_000;
    private final Closer closer = new Closer();
    @TempDir
    Path dir;
    private TestPki pki;
    private TestPki.Issued routerCertificate;

    @BeforeEach
    void pki() {
        pki = TestPki.create(dir, "test");
        routerCertificate = pki.issue("router", "127.0.0.1", "sipvane.test");
    }

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    /** A router with a UDP listener and a TLS one on {@code tlsPort}, trusting the test CA. */
    private TestRouter.Builder router(int tlsPort, String tlsExtra) {
        return TestRouter.builder().tlsListener(tlsPort, routerCertificate, pki.caPem, tlsExtra);
    }

    private TestUa tlsUa(String name, TestPki.Issued certificate) throws Exception {
        return closer.track(TestUa.startTls(name, "127.0.0.1", TlsIdentity.of(certificate, pki)));
    }

    private static List<String> recordRoutes(Request request) {
        List<String> out = new ArrayList<>();
        for (ListIterator<?> it = request.getHeaders(RecordRouteHeader.NAME); it.hasNext(); ) {
            out.add(it.next().toString().trim());
        }
        return out;
    }

    @Test
    void tlsCaller_toUdpPbx_fullCall_andByeFromEachSide() throws Exception {
        TestUa pbx = closer.track(TestUa.start("pbx"));
        TestUa caller = tlsUa("caller", pki.issue("caller", "127.0.0.1"));
        int tlsPort = TestUa.freePort();
        TestRouter router = closer.track(router(tlsPort, "").dest(pbx.uri(), 1, 10).start());

        TestUa.Call call = caller.invite(router.callee(), tlsPort, "tls");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        Request invite = pbx.await(Request.INVITE, WAIT);
        assertThat(((ViaHeader) invite.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("udp");
        // two legs on two transports: record-routed on both, the PBX's entry on top
        assertThat(recordRoutes(invite)).hasSize(2);
        assertThat(recordRoutes(invite).get(0)).contains(":" + router.port + ";").contains("transport=udp");
        assertThat(recordRoutes(invite).get(1)).contains(":" + tlsPort + ";").contains("transport=tls");
        assertThat(pbx.await(Request.ACK, WAIT)).isNotNull();

        // the callee hangs up: UDP to the router, then a verified TLS connection to the caller's listener
        assertThat(pbx.byeAsCallee(invite, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(caller.await(Request.BYE, WAIT)).isNotNull();

        // a second call, hung up by the caller over TLS
        TestUa.Call second = caller.invite(router.callee(), tlsPort, "tls");
        assertThat(second.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(second.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.await(Request.BYE, WAIT)).isNotNull();
    }

    @Test
    void udpCaller_toTlsPbx_fullCall_andByeFromEachSide() throws Exception {
        TestUa pbx = tlsUa("pbx", pki.issue("pbx", "127.0.0.1"));
        TestUa caller = closer.track(TestUa.start("caller"));
        TestRouter router = tlsRouter("", pbx.uri("tls"), "tls");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        Request invite = pbx.await(Request.INVITE, WAIT);
        assertThat(((ViaHeader) invite.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("tls");
        assertThat(recordRoutes(invite)).hasSize(2);
        assertThat(recordRoutes(invite).get(0)).contains("transport=tls");
        assertThat(recordRoutes(invite).get(1)).contains("transport=udp");
        assertThat(pbx.await(Request.ACK, WAIT)).isNotNull();

        // the callee hangs up over TLS, the caller hears it over UDP
        assertThat(pbx.byeAsCallee(invite, "tls").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(caller.await(Request.BYE, WAIT)).isNotNull();

        TestUa.Call second = caller.invite(router.callee(), router.port, "udp");
        assertThat(second.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(second.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.await(Request.BYE, WAIT)).isNotNull();
    }

    @Test
    void hostNameDestination_isVerifiedUnderThatName() throws Exception {
        TestUa pbx = tlsUa("pbx", pki.issue("pbx", "pbx.sipvane.test"));
        TestUa caller = closer.track(TestUa.start("caller"));
        int tlsPort = TestUa.freePort();
        TestRouter router = closer.track(router(tlsPort, "").resolver(host -> java.net.InetAddress.getByName("127.0.0.1"))
                .dest("sip:pbx.sipvane.test:" + pbx.tlsPort + ";transport=tls", 1, 10, "tls").start());

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.invites.get()).isEqualTo(1);
    }

    @Test
    void wrongName_expired_andUntrusted_areRefused_andTheCallFailsOver() throws Exception {
        TestUa wrongName = tlsUa("wrong-name", pki.issue("wrong-name", "other.sipvane.test"));
        TestUa expired = tlsUa("expired", pki.expired("expired", "127.0.0.1"));
        TestUa untrusted = tlsUa("untrusted", pki.selfSigned("untrusted", "127.0.0.1"));
        TestUa backup = closer.track(TestUa.start("backup"));
        TestUa caller = closer.track(TestUa.start("caller"));
        int tlsPort = TestUa.freePort();
        TestRouter router = closer.track(router(tlsPort, "").dest(wrongName.uri("tls"), 1, 10, "tls").dest(expired.uri("tls"), 2, 10, "tls")
                .dest(untrusted.uri("tls"), 3, 10, "tls").dest(backup.uri(), 4, 10).start());

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(backup.invites.get()).isEqualTo(1);
        // no INVITE reached a destination whose certificate failed: the handshake stopped first
        assertThat(wrongName.requests).isEmpty();
        assertThat(expired.requests).isEmpty();
        assertThat(untrusted.requests).isEmpty();
        assertThat(router.registry.find("sipvane.failovers").tag("reason", "transport").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum()).isEqualTo(3.0);
    }

    @Test
    void pbxRequiringAClientCertificate_getsTheOneItsRuleNames_andOthersGetNone() throws Exception {
        TestUa pbx = closer.track(TestUa.startTls("pbx", "127.0.0.1",
                TlsIdentity.of(pki.issue("pbx", "127.0.0.1"), pki).requiringClientCertificates()));
        TestPki.Issued client = pki.issue("carrier-client", "sipvane.test");
        TestUa caller = closer.track(TestUa.start("caller"));

        TestRouter withRule = tlsRouter("  destinations:\n    - host: 127.0.0.1\n      port: " + pbx.tlsPort
                + "\n      certificate: \"" + client.certificatePem() + "\"\n      key: \"" + client.keyPem() + "\"\n",
                pbx.uri("tls"), "tls");
        assertThat(caller.invite(withRule.callee(), withRule.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.invites.get()).isEqualTo(1);

        TestUa backup = closer.track(TestUa.start("backup"));
        int tlsPort = TestUa.freePort();
        TestRouter withoutRule = closer.track(router(tlsPort, "").dest(pbx.uri("tls"), 1, 10, "tls").dest(backup.uri(), 2, 10).start());
        assertThat(caller.invite(withoutRule.callee(), withoutRule.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(backup.invites.get()).as("the PBX refused the router without a certificate").isEqualTo(1);
        assertThat(pbx.invites.get()).isEqualTo(1);
    }

    @Test
    void verifyFalse_reachesAnUntrustedLabPbx() throws Exception {
        TestUa lab = tlsUa("lab", pki.selfSigned("lab", "lab.invalid"));
        TestUa caller = closer.track(TestUa.start("caller"));
        TestRouter router = tlsRouter("  destinations:\n    - host: 127.0.0.1\n      port: " + lab.tlsPort
                + "\n      verify: false\n", lab.uri("tls"), "tls");

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(lab.invites.get()).isEqualTo(1);
    }

    private TestRouter tlsRouter(String tlsExtra, String destination, String transport) throws Exception {
        int tlsPort = TestUa.freePort();
        return closer.track(router(tlsPort, tlsExtra).dest(destination, 1, 10, transport).start());
    }

    @Test
    void sipsRequestUri_goesOnlyToTlsDestinations_andNeverDowngrades() throws Exception {
        TestUa udpPbx = closer.track(TestUa.start("udp-pbx"));
        TestUa tlsPbx = tlsUa("tls-pbx", pki.issue("tls-pbx", "127.0.0.1"));
        TestUa caller = tlsUa("caller", pki.issue("caller", "127.0.0.1"));
        int tlsPort = TestUa.freePort();
        TestRouter router = closer.track(router(tlsPort, "").dest(udpPbx.uri(), 1, 10).dest(tlsPbx.uri("tls"), 2, 10, "tls").start());

        TestUa.Call call = caller.invite("sips:+14155550100@127.0.0.1:" + tlsPort, tlsPort, "tls");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(tlsPbx.invites.get()).isEqualTo(1);
        assertThat(udpPbx.invites.get()).as("the UDP destination, first by priority, was skipped").isZero();
    }

    @Test
    void sipsRequestUri_withOnlyUdpDestinations_isNotSentAnywhere() throws Exception {
        TestUa udpPbx = closer.track(TestUa.start("udp-pbx"));
        TestUa caller = tlsUa("caller", pki.issue("caller", "127.0.0.1"));
        int tlsPort = TestUa.freePort();
        TestRouter router = closer.track(router(tlsPort, "").dest(udpPbx.uri(), 1, 10).start());

        TestUa.Call call = caller.invite("sips:+14155550100@127.0.0.1:" + tlsPort, tlsPort, "tls");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(503);
        assertThat(udpPbx.invites.get()).isZero();
        assertThat(router.registry.find("sipvane.attempts").counters()).as("no attempt at all").allSatisfy(
                c -> assertThat(c.count()).isZero());
    }

    @Test
    void listenerRequiringClientCertificates_refusesACallerWithout_andTakesOneWith() throws Exception {
        TestUa pbx = closer.track(TestUa.start("pbx"));
        TestUa withCertificate = tlsUa("with", pki.issue("with", "127.0.0.1"));
        TestUa withoutCertificate = closer.track(TestUa.startTls("without", "127.0.0.1",
                new TlsIdentity(pki.trustStore, pki.trustStore, false)));
        int tlsPort = TestUa.freePort();
        TestRouter router = closer.track(router(tlsPort, "  client_auth: required\n").dest(pbx.uri(), 1, 10).start());

        assertThat(withCertificate.invite(router.callee(), tlsPort, "tls").awaitFinal().getStatusCode()).isEqualTo(200);
        try {
            // TLS 1.3: the client learns of the refusal only after it has written the INVITE, or at once
            withoutCertificate.invite(router.callee(), tlsPort, "tls");
        } catch (javax.sip.SipException expected) {
            // the handshake failed before the INVITE left
        }
        assertThat(withCertificate.invite(router.callee(), tlsPort, "tls").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.invites.get()).as("only the calls over authenticated connections").isEqualTo(2);
    }

    @Test
    void probes_goOverTls_andAnInvalidCertificateIsTheReasonForDown() throws Exception {
        TestUa good = tlsUa("good", pki.issue("good", "127.0.0.1"));
        TestUa wrongName = tlsUa("wrong-name", pki.issue("wrong-name", "other.sipvane.test"));
        int tlsPort = TestUa.freePort();
        TestRouter router = closer.track(router(tlsPort, "").dest(good.uri("tls"), 1, 10, "tls").dest(wrongName.uri("tls"), 2, 10, "tls").start());
        java.util.List<io.sipvane.core.model.OriginationUri> uris = router.table.current().config().originationUris();

        assertThat(router.server.probe(new io.sipvane.core.routing.Destination(uris.get(0), 1), 5000).get())
                .isEqualTo(200);
        assertThat(good.await(Request.OPTIONS, WAIT)).isNotNull();
        assertThatThrownBy(() -> router.server.probe(new io.sipvane.core.routing.Destination(uris.get(1), 1), 5000).get())
                .hasCauseInstanceOf(java.io.IOException.class)
                .hasMessageContaining("TLS: ").hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
        assertThat(wrongName.requests).isEmpty();
    }

    @Test
    void unreadableKeyAtStart_stopsTheStart_namingTheKeyAndFile() throws Exception {
        int tlsPort = TestUa.freePort();
        Path missing = dir.resolve("missing.key");
        TestRouter.Builder builder = TestRouter.builder().listen("udp:127.0.0.1:%d", "tls:127.0.0.1:" + tlsPort)
                .tls("  certificate: \"" + routerCertificate.certificatePem() + "\"\n  key: \"" + missing + "\"\n");

        assertThatThrownBy(builder::start).isInstanceOf(javax.sip.SipException.class)
                .hasMessageContaining("tls.key: ").hasMessageContaining(missing.toString());
    }

    @Test
    void renewedFiles_areServedToNewConnectionsWithinSeconds_withoutARestart() throws Exception {
        java.nio.file.Path certificate = java.nio.file.Files.copy(routerCertificate.certificatePem(), dir.resolve("live.crt"));
        java.nio.file.Path key = java.nio.file.Files.copy(routerCertificate.keyPem(), dir.resolve("live.key"));
        int tlsPort = TestUa.freePort();
        closer.track(TestRouter.builder().listen("udp:127.0.0.1:%d", "tls:127.0.0.1:" + tlsPort)
                .tls("  certificate: \"" + certificate + "\"\n  key: \"" + key + "\"\n").start());
        assertThat(servedSerial(tlsPort)).isEqualTo(routerCertificate.certificate().getSerialNumber());

        TestPki.Issued renewed = pki.issue("renewed", "127.0.0.1");
        // a renewal tool writes new files next to the old ones and renames them over
        java.nio.file.Files.move(java.nio.file.Files.copy(renewed.keyPem(), dir.resolve("live.key.new")), key,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        java.nio.file.Files.move(java.nio.file.Files.copy(renewed.certificatePem(), dir.resolve("live.crt.new")), certificate,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        Sipp.await("the renewed certificate is served within 30 s", 30,
                () -> renewed.certificate().getSerialNumber().equals(servedSerial(tlsPort)));
    }

    /** The serial number of the certificate the router's TLS listener presents to a new connection. */
    private java.math.BigInteger servedSerial(int port) {
        try {
            return presentedSerial(port);
        } catch (Exception e) {
            throw new IllegalStateException("no TLS handshake with 127.0.0.1:" + port, e);
        }
    }

    private java.math.BigInteger presentedSerial(int port) throws Exception {
        try (javax.net.ssl.SSLSocket s = pki.connect(port)) {
            s.startHandshake();
            return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
