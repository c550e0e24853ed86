package io.sipvane.sip.proxy;

import static io.sipvane.sip.testing.Sipp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.sipvane.core.health.ProbeHealth;
import io.sipvane.core.testing.Await;
import io.sipvane.sip.health.Prober;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.Sipp.Stats;
import io.sipvane.sip.testing.Sipp.Uas;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIPp end to end: a SIPp UAC calls through the router to three SIPp UASs (priority 1 weight
 * 10, priority 1 weight 20, priority 2). SIPp must be installed (Debian {@code sip-tester});
 * without it this test fails on purpose, since CI installs it. Scenarios: {@code src/test/sipp}.
 */
class SippEndToEndTest {
    private static final String SERVICE = "14155550100";

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
    void sipp_splitsOneToTwoInsidePriorityOne() throws Exception {
        Uas a = sipp.uas("a", "uas_rr.xml");
        Uas b = sipp.uas("b", "uas_rr.xml");
        Uas c = sipp.uas("c", "uas_rr.xml");
        int calls = 3000;
        try (TestRouter router = TestRouter.builder().seed(7)
                .dest(a.uri(), 1, 10).dest(b.uri(), 1, 20).dest(c.uri(), 2, 10).start()) {
            Stats uac = sipp.runUac(router.port, calls, 400);

            assertThat(uac.get("FailedCall(C)")).isZero();
            assertThat(uac.get("SuccessfulCall(C)")).isEqualTo(calls);
            long[] counts = sipp.awaitTotal("IncomingCall(C)", calls, a, b, c);
            String seen = "calls per UAS a/b/c: " + Arrays.toString(counts);
            assertThat(counts[0] + counts[1]).as(seen).isEqualTo(calls);
            assertThat(counts[2]).as(seen).isZero();
            double shareB = counts[1] / (double) (counts[0] + counts[1]);
            assertThat(shareB).as(seen).isBetween(2 / 3.0 - 0.03, 2 / 3.0 + 0.03);
            // the metrics agree with SIPp's own count, exactly
            assertThat(count(router, "sipvane.calls", "outcome", "answered")).isEqualTo(calls);
            assertThat(count(router, "sipvane.attempts", "class", "2xx")).isEqualTo(calls);
            assertThat(count(router, "sipvane.failovers", "reason", "code")).isZero();
        }
    }

    @Test
    void sipp_priorityOneAnswering503_everyCallCompletesOnPriorityTwo() throws Exception {
        Uas a = sipp.uas("a", "uas_503.xml");
        Uas b = sipp.uas("b", "uas_503.xml");
        Uas c = sipp.uas("c", "uas_rr.xml");
        int calls = 1000;
        try (TestRouter router = TestRouter.builder().seed(7)
                .dest(a.uri(), 1, 10).dest(b.uri(), 1, 20).dest(c.uri(), 2, 10).start()) {
            Stats uac = sipp.runUac(router.port, calls, 300);

            assertThat(uac.get("FailedCall(C)")).isZero();
            assertThat(uac.get("SuccessfulCall(C)")).isEqualTo(calls);
            assertThat(sipp.awaitTotal("SuccessfulCall(C)", calls, c)[0]).isEqualTo(calls);
            // each call was refused by both priority-1 UASs first (quarantine is off in TestRouter)
            long[] refused = sipp.awaitTotal("IncomingCall(C)", 2L * calls, a, b);
            assertThat(refused[0] + refused[1]).as("INVITEs refused by a/b: %s", Arrays.toString(refused))
                    .isEqualTo(2L * calls);
            assertThat(count(router, "sipvane.calls", "outcome", "answered")).isEqualTo(calls);
            assertThat(count(router, "sipvane.attempts", "class", "5xx")).isEqualTo(2.0 * calls);
            assertThat(count(router, "sipvane.failovers", "reason", "code")).isEqualTo(2.0 * calls);
        }
    }

    @Test
    void sipp_destinationKilledDuringARun_isMarkedDownSkipped_andBroughtBack() throws Exception {
        int aPort = TestUa.freePort();
        Process a = sipp.startUas("a", aPort, "uas_rr.xml");
        Uas aStats = new Uas("a", aPort, dir.resolve("uas-a.csv"));
        Uas b = sipp.uas("b", "uas_rr.xml");
        Uas c = sipp.uas("c", "uas_rr.xml");
        ProbeHealth health = new ProbeHealth(2, 2);
        int calls = 2000;
        int rate = 200;
        long timerCMs = 3000;
        // Timer C of 3 s: a call that was ringing at the PBX when it died ends with 408 (after
        // a 1xx the router never fails over) instead of ringing for three minutes
        try (TestRouter router = TestRouter.builder().seed(7).attemptTimeoutMs(500).timerCMs(timerCMs)
                .health("  probe_interval_ms: 200\n  probe_timeout_ms: 300\n  down_after: 2\n  up_after: 2\n")
                .healthView(health).dest("sip:127.0.0.1:" + aPort, 1, 10).dest(b.uri(), 1, 20).dest(c.uri(), 2, 10).start();
                Prober prober = new Prober(router.table, health, router.server::probe, router.server.metrics())) {
            prober.start();
            UUID aId = router.table.current().trunkFor("127.0.0.1", SERVICE).destinations().get(0).id();
            await("a is probed up", () -> health.state(aId) == ProbeHealth.State.UP);

            CompletableFuture<Stats> uac = CompletableFuture.supplyAsync(() -> {
                try {
                    return sipp.runUac(router.port, calls, rate);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("a has taken calls", () -> Sipp.count(aStats, "SuccessfulCall(C)") >= 100);
            a.destroy(); // the PBX dies in the middle of the run
            assertThat(a.waitFor(20, TimeUnit.SECONDS)).isTrue();
            await("a is probed down", () -> health.state(aId) == ProbeHealth.State.DOWN);
            // calls sent to it before it was marked down end: silent ones fail over after the 500 ms
            // attempt timeout, ringing ones end with Timer C; wait until none has for longer than that
            double timeoutsWhenDown = awaitSteady(() -> attemptsOf(router, aId, "timeout"), timerCMs + 1000);
            Stats result = uac.get(120, TimeUnit.SECONDS);

            // from then on no call waited for the dead destination's timeout
            assertThat(attemptsOf(router, aId, "timeout")).isEqualTo(timeoutsWhenDown);
            assertThat(result.get("SuccessfulCall(C)") + result.get("FailedCall(C)")).isEqualTo(calls);
            // only calls the PBX had answered (their BYE has nobody to reach) or was ringing when it
            // died can fail
            assertThat(result.get("FailedCall(C)")).isLessThanOrEqualTo(rate / 2);

            sipp.startUas("a-again", aPort, "uas_rr.xml"); // it comes back
            await("a is probed up again", () -> health.state(aId) == ProbeHealth.State.UP);
        }
    }

    /** Waits until {@code value} has not changed for {@code quietMs}; returns it. */
    private static double awaitSteady(java.util.function.DoubleSupplier value, long quietMs) throws InterruptedException {
        double[] last = {value.getAsDouble()};
        long[] changed = {System.nanoTime()};
        Await.until("value settles", Duration.ofSeconds(60), () -> {
            double now = value.getAsDouble();
            if (now != last[0]) {
                last[0] = now;
                changed[0] = System.nanoTime();
            }
            return System.nanoTime() - changed[0] >= TimeUnit.MILLISECONDS.toNanos(quietMs);
        });
        return last[0];
    }

    private static double attemptsOf(TestRouter router, UUID destination, String result) {
        return router.registry.find("sipvane.attempts").tag("destination", destination.toString()).tag("class", result)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double count(TestRouter router, String name, String tag, String value) {
        return router.registry.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }
}
