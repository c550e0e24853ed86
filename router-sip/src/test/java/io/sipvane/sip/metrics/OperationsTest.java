package io.sipvane.sip.metrics;

import io.sipvane.core.testing.Await;
import io.sipvane.sip.health.Prober;
import io.sipvane.sip.testing.TestUa;
import io.sipvane.sip.testing.TestRouter;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.sipvane.core.health.ProbeHealth;
import io.sipvane.core.health.ProbeHealth.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active health checks, call metrics, draining and the in-flight cap, through real SIP on loopback. */
class OperationsTest {
    private static final long WAIT = 20_000;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(0, c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    static final String FAST_PROBES = "  probe_interval_ms: 200\n  probe_timeout_ms: 300\n  down_after: 2\n  up_after: 2\n";

    @Test
    void probe_marksAStoppedDestinationDown_skipsIt_andBringsItBackWhenItReturns() throws Exception {
        TestUa a = TestUa.start("a");
        int aPort = a.port;
        TestUa b = closing(TestUa.start("b"));
        ProbeHealth health = new ProbeHealth(2, 2);
        TestRouter router = closing(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 1, 10).health(FAST_PROBES)
                .healthView(health).start());
        Prober prober = closing(new Prober(router.table, health, router.server::probe, router.server.metrics()));
        prober.start();
        UUID aId = router.table.current().trunkFor("x", "+1415").destinations().get(0).id();
        awaitTrue(() -> health.state(aId) == State.UP, "a probed up");

        a.close(); // the PBX dies
        awaitTrue(() -> health.state(aId) == State.DOWN, "a marked down");

        TestUa caller = closing(TestUa.start("caller"));
        for (int i = 0; i < 10; i++) {
            assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        }
        assertThat(b.invites.get()).isEqualTo(10); // no call waited for the dead one's timeout

        TestUa back = closing(TestUa.startOn("a-again", aPort));
        awaitTrue(() -> health.state(aId) == State.UP, "a back up");
        assertThat(router.registry.find("sipvane.probe.rtt").timers()).isNotEmpty();
        assertThat(back).isNotNull();
    }

    @Test
    void metrics_countCallsAttemptsAndFailoversExactly() throws Exception {
        TestUa busy = closing(TestUa.start("busy").script(503));
        TestUa good = closing(TestUa.start("good"));
        TestRouter router = closing(TestRouter.builder().dest(busy.uri(), 1, 10).dest(good.uri(), 2, 10).start());
        TestUa caller = closing(TestUa.start("caller"));

        for (int i = 0; i < 5; i++) {
            assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        }
        assertThat(caller.invite("sip:+4420@127.0.0.1:" + router.port, router.port, "udp").awaitFinal().getStatusCode())
                .isEqualTo(404);

        var registry = router.registry;
        assertThat(count(registry, "sipvane.calls", "outcome", "answered")).isEqualTo(5);
        assertThat(count(registry, "sipvane.calls", "outcome", "no_route")).isEqualTo(1);
        assertThat(count(registry, "sipvane.attempts", "class", "5xx")).isEqualTo(5);
        assertThat(count(registry, "sipvane.attempts", "class", "2xx")).isEqualTo(5);
        assertThat(count(registry, "sipvane.failovers", "reason", "code")).isEqualTo(5);
        assertThat(count(registry, "sipvane.failovers", "reason", "timeout")).isZero();
        assertThat(registry.get("sipvane.routing.decision").timer().count()).isEqualTo(5);
        awaitTrue(() -> registry.get("sipvane.calls.in.flight").gauge().value() == 0, "no call in flight");
    }

    @Test
    void drain_refusesNewCallsWith503_whileCallsInProgressFinish() throws Exception {
        TestUa pbx = closing(TestUa.start("pbx").script(180, 200));
        TestRouter router = closing(TestRouter.builder().dest(pbx.uri(), 1, 10).start());
        TestUa caller = closing(TestUa.start("caller"));

        TestUa.Call inProgress = caller.invite(router.callee(), router.port, "udp");
        assertThat(inProgress.await(180, WAIT).getStatusCode()).isEqualTo(180);
        router.server.drain();
        Response refused = caller.invite(router.callee(), router.port, "udp").awaitFinal();

        assertThat(refused.getStatusCode()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isNotNull();
        assertThat(inProgress.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(count(router.registry, "sipvane.calls", "outcome", "rejected")).isEqualTo(1);
    }

    @Test
    void maxInFlight_answers503BeyondTheCap() throws Exception {
        TestUa pbx = closing(TestUa.start("pbx").script(180));
        TestRouter router = closing(TestRouter.builder().dest(pbx.uri(), 1, 10).sipExtra("  max_in_flight: 1\n").start());
        TestUa caller = closing(TestUa.start("caller"));

        TestUa.Call ringing = caller.invite(router.callee(), router.port, "udp");
        assertThat(ringing.await(180, WAIT).getStatusCode()).isEqualTo(180);
        Response second = caller.invite(router.callee(), router.port, "udp").awaitFinal();

        assertThat(second.getStatusCode()).isEqualTo(503);
        assertThat(pbx.await(Request.INVITE, WAIT)).isNotNull();
        assertThat(pbx.invites.get()).isEqualTo(1);
        ringing.cancel();
        assertThat(ringing.awaitFinal().getStatusCode()).isEqualTo(487);
    }

    private static double count(io.micrometer.core.instrument.MeterRegistry registry, String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition::getAsBoolean);
    }
}
