package io.sipvane.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.testing.Closer;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.TestPki;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Kamailio with its tls module as the TLS PBX: it answers INVITE and BYE itself,
 * presents a certificate for a host name, and insists on a client certificate from our test
 * CA. So the router's side of TLS is checked by an implementation nobody here wrote (OpenSSL,
 * inside Kamailio): SNI and host name, and mutual TLS from a {@code tls.destinations} rule.
 */
class KamailioTlsPbxTest {
    private static final String KAMAILIO = "/usr/sbin/kamailio";
    private static final String PBX_NAME = "pbx.kamailio.test";
    private final Closer closer = new Closer();
    @TempDir
    Path dir;
    private TestPki pki;
    private int kamailioPort;
    private Process kamailio;
    private Path kamailioLog;

    @BeforeEach
    void startKamailio() throws Exception {
        assertThat(Path.of(KAMAILIO)).as("Debian's kamailio (apt-get install kamailio kamailio-tls-modules)").exists();
        pki = TestPki.create(dir, "test");
        TestPki.Issued pbx = pki.issue("pbx", PBX_NAME);
        kamailioPort = TestUa.freePort();
        Path tlsCfg = Files.writeString(dir.resolve("tls.cfg"), """
                [server:default]
                method = TLSv1.2+
                verify_certificate = yes
                require_certificate = yes
                certificate = %s
                private_key = %s
                ca_list = %s

                [client:default]
                method = TLSv1.2+
                verify_certificate = no
                require_certificate = no
                """.formatted(pbx.certificatePem(), pbx.keyPem(), pki.caPem));
        Path cfg = Files.writeString(dir.resolve("kamailio.cfg"), """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                tcp_children=2
                auto_aliases=no
                enable_tls=yes
                listen=tls:127.0.0.1:%d
                loadmodule "pv.so"
                loadmodule "tls.so"
                loadmodule "sl.so"
                loadmodule "textops.so"
                loadmodule "xlog.so"
                modparam("tls", "config", "%s")
                request_route {
                    xlog("L_INFO", "got $rm from $si:$sp over $pr, sni $tls_peer_server_name\\n");
                    if (is_method("INVITE")) {
                        append_to_reply("Contact: <sip:pbx@127.0.0.1:%d;transport=tls>\\r\\n");
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    if (is_method("ACK")) {
                        exit;
                    }
                    sl_send_reply("200", "OK");
                }
                """.formatted(kamailioPort, tlsCfg, kamailioPort));
        kamailioLog = dir.resolve("kamailio.log");
        kamailio = new ProcessBuilder(KAMAILIO, "-f", cfg.toString(), "-DD", "-E", "-m", "64", "-M", "8",
                "-Y", Files.createDirectories(dir.resolve("run")).toString(), "-P", dir.resolve("kamailio.pid").toString())
                .redirectErrorStream(true).redirectOutput(kamailioLog.toFile()).start();
        Sipp.await("kamailio listens within 30 s; its log:\n" + log(), 30, () -> {
            assertThat(kamailio.isAlive()).as("kamailio runs; its log:\n%s", log()).isTrue();
            return listening(kamailioPort);
        });
    }

    @AfterEach
    void stop() throws Exception {
        closer.close();
        if (kamailio != null) {
            kamailio.destroy();
            if (!kamailio.waitFor(10, TimeUnit.SECONDS)) {
                kamailio.destroyForcibly();
            }
        }
    }

    @Test
    void callAndBye_toAKamailioTlsPbx_byHostName_withTheRulesClientCertificate() throws Exception {
        TestPki.Issued router = pki.issue("router", "127.0.0.1");
        TestPki.Issued client = pki.issue("carrier-client", "sipvane.test");
        TestUa caller = closer.track(TestUa.start("caller"));
        int tlsPort = TestUa.freePort();
        TestRouter sipvane = closer.track(TestRouter.builder().tlsListener(tlsPort, router, pki.caPem, "  destinations:\n"
                        + "    - host: " + PBX_NAME + "\n      certificate: \"" + client.certificatePem() + "\"\n      key: \""
                        + client.keyPem() + "\"\n")
                .resolver(host -> InetAddress.getByName("127.0.0.1"))
                .dest("sip:" + PBX_NAME + ":" + kamailioPort + ";transport=tls", 1, 10, "tls").start());

        TestUa.Call call = caller.invite(sipvane.callee(), sipvane.port, "udp");

        assertThat(call.awaitFinal().getStatusCode()).as("Kamailio's log:\n%s", log()).isEqualTo(200);
        assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).as("BYE").isEqualTo(200);
        assertThat(log()).contains("got INVITE from 127.0.0.1").contains("over tls, sni " + PBX_NAME)
                .contains("got BYE from 127.0.0.1");
    }

    @Test
    void withoutAClientCertificate_kamailioRefuses_andTheCallFailsOver() throws Exception {
        TestPki.Issued router = pki.issue("router", "127.0.0.1");
        TestUa backup = closer.track(TestUa.start("backup"));
        TestUa caller = closer.track(TestUa.start("caller"));
        int tlsPort = TestUa.freePort();
        TestRouter sipvane = closer.track(TestRouter.builder().tlsListener(tlsPort, router, pki.caPem, "")
                .resolver(host -> InetAddress.getByName("127.0.0.1"))
                .dest("sip:" + PBX_NAME + ":" + kamailioPort + ";transport=tls", 1, 10, "tls")
                .dest(backup.uri(), 2, 10).start());

        assertThat(caller.invite(sipvane.callee(), sipvane.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(backup.invites.get()).as("Kamailio's log:\n%s", log()).isEqualTo(1);
        assertThat(log()).doesNotContain("got INVITE");
    }

    private String log() {
        try {
            return Files.exists(kamailioLog) ? Files.readString(kamailioLog) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
