package io.sipvane.server;

import static io.sipvane.sip.testing.Sipp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.Sipp.Stats;
import io.sipvane.sip.testing.Sipp.Uas;
import io.sipvane.sip.testing.TestUa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router as its own process, as {@code bin/sipvane} runs it, stopped with SIGTERM in the middle of a SIPp run. */
class SigtermTest {
    @TempDir
    Path dir;
    private Sipp sipp;

    @BeforeEach
    void startSipp() {
        sipp = new Sipp(dir);
    }

    @AfterEach
    void stopSipp() throws InterruptedException {
        sipp.close();
    }

    @Test
    void sipp_sigtermDuringARun_drainsExitsZero_andLosesNoAnsweredCall() throws Exception {
        Uas a = sipp.uas("a", "uas_rr.xml");
        Uas b = sipp.uas("b", "uas_rr.xml");
        int port = TestUa.freePort();
        Path config = dir.resolve("sipvane.yaml");
        Files.writeString(config, """
                sip:
                  listen: ["udp:127.0.0.1:%d"]
                  route_secret_env: SIPVANE_ROUTE_SECRET
                admin: { listen: "127.0.0.1:0" }
                health: { probing: false }
                shutdown: { grace_ms: 10000 }
                accounts: [ { auth_id: MASIGTERM00000000000, auth_token: "t" } ]
                trunks: [ { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MASIGTERM00000000000, match: { default: true } } ]
                origination_uris:
                  - { id: aabbccdd-0000-4000-8000-000000000001, account_id: MASIGTERM00000000000, uri: "%s", weight: 10 }
                  - { id: aabbccdd-0000-4000-8000-000000000002, account_id: MASIGTERM00000000000, uri: "%s", weight: 20 }
                """.formatted(port, a.uri(), b.uri()));
        // 40 calls/s: enough calls in every state at the stop, few enough that a 2-core machine
        // busy with other work still runs SIPp's timers on time
        int calls = 400;
        Process first = startRouter(config, "router-1");
        Process uac = sipp.startUac(port, calls, 40);
        // SIGTERM in the middle of the run, once calls are flowing
        await("calls answered before the stop", () -> Sipp.count(a, "SuccessfulCall(C)") + Sipp.count(b, "SuccessfulCall(C)") >= 40);
        first.destroy();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("exit status after SIGTERM").isZero();
        // a restart on the same address: in-dialog requests of calls answered before the stop
        // (their ACK and BYE retransmissions) are routed by the new process, which accepts the
        // first one's signed Record-Route because both share the key
        startRouter(config, "router-2");
        assertThat(uac.waitFor(120, TimeUnit.SECONDS)).as("SIPp UAC finished").isTrue();
        Stats result = sipp.uacStats();

        assertThat(result.get("SuccessfulCall(C)")).as("calls completed").isPositive();
        // every call a PBX answered ended properly: it got its ACK and its BYE
        await("the PBXs' calls end", () -> Sipp.count(a, "CurrentCall") + Sipp.count(b, "CurrentCall") == 0);
        Stats sa = a.read();
        Stats sb = b.read();
        assertThat(sa.get("FailedCall(C)") + sb.get("FailedCall(C)")).as("answered calls lost").isZero();
        assertThat(sa.get("SuccessfulCall(C)") + sb.get("SuccessfulCall(C)"))
                .isEqualTo(sa.get("IncomingCall(C)") + sb.get("IncomingCall(C)"));
    }

    /** The router as its own process (as {@code Main} runs in production); returns once it is ready. */
    private Process startRouter(Path config, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve(name + ".log");
        Process p = sipp.start(log, Map.of("SIPVANE_ROUTE_SECRET", "a-cluster-wide-route-secret"), java,
                "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--config", config.toString());
        await("router " + name + " ready, log:\n" + Sipp.tail(log), () -> {
            assertThat(p.isAlive()).as("router process running, log:\n" + Sipp.tail(log)).isTrue();
            try {
                return Files.exists(log) && Files.readString(log).contains("sipvane ready");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return p;
    }
}
