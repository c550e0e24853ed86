package io.sipvane.sip.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.health.ProbeHealth;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.core.testing.Await;
import io.sipvane.sip.metrics.SipMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProberTest {
    static final String CONFIG = """
            health: { probe_interval_ms: 100, probe_timeout_ms: 100, down_after: 1, up_after: 1 }
            accounts: [ { auth_id: MAP00000000000000000, auth_token: "t" } ]
            trunks:
              - { id: 00000000-0000-4000-8000-00000000000a, account_id: MAP00000000000000000, match: { numbers: ["1"] },
                  health: { probing: false } }
              - { id: 00000000-0000-4000-8000-00000000000b, account_id: MAP00000000000000000, match: { numbers: ["2"] },
                  health: { probe_interval_ms: 200 } }
            origination_uris:
              - { id: 00000000-0000-4000-8000-0000000000a1, account_id: MAP00000000000000000, trunk_id: 00000000-0000-4000-8000-00000000000a,
                  uri: "sip:127.0.0.1:5071" }
              - { id: 00000000-0000-4000-8000-0000000000b1, account_id: MAP00000000000000000, trunk_id: 00000000-0000-4000-8000-00000000000b,
                  uri: "sip:127.0.0.1:5072" }
            """;

    @Test
    void perTrunkOverrides_decideWhichDestinationsAreProbed_andDeletedOnesStop() throws Exception {
        RoutingTable table = new RoutingTable(ConfigLoader.parse(CONFIG, "p.yaml"));
        ProbeHealth health = new ProbeHealth(1, 1);
        Map<Integer, AtomicInteger> probes = new ConcurrentHashMap<>();
        try (Prober prober = new Prober(table, health, (Destination d, Integer timeout) -> {
            probes.computeIfAbsent(d.port(), p -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.completedFuture(d.port() == 5072 ? 503 : 200);
        }, new SipMetrics(new SimpleMeterRegistry()))) {
            prober.start();
            Await.until("three probes of 5072", Duration.ofSeconds(30),
                    () -> probes.getOrDefault(5072, new AtomicInteger()).get() >= 3);

            assertThat(probes.get(5072).get()).isGreaterThanOrEqualTo(3);
            assertThat(probes).doesNotContainKey(5071); // its only trunk turned probing off
            assertThat(health.state(java.util.UUID.fromString("00000000-0000-4000-8000-0000000000b1")))
                    .isEqualTo(ProbeHealth.State.DOWN); // 503 is not an ok code

            // the URI is deleted: its probes stop and its state is forgotten
            table.publish(ConfigLoader.parse(CONFIG.substring(0, CONFIG.indexOf("  - { id: 00000000-0000-4000-8000-0000000000b1")),
                    "p.yaml"));
            java.util.UUID deleted = java.util.UUID.fromString("00000000-0000-4000-8000-0000000000b1");
            assertThat(prober.probes(deleted)).as("its schedule is gone once the snapshot is reconciled").isFalse();
            int after = probes.get(5072).get();
            // every probe runs on the scheduler thread: once a further task has run there, a
            // cancelled schedule can have fired no more
            assertThat(prober.probes(deleted)).isFalse();
            assertThat(probes.get(5072).get()).as("probes stopped after the URI was deleted").isEqualTo(after);
            assertThat(health.isUp(java.util.UUID.fromString("00000000-0000-4000-8000-0000000000b1"))).isTrue();
        }
    }

    @Test
    void aTransitionIsOneLineNamingTheUriAndTheReason() throws Exception {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Prober.class);
        logger.addAppender(lines);
        RoutingTable table = new RoutingTable(ConfigLoader.parse(CONFIG.replace("uri: \"sip:127.0.0.1:5072\" }",
                "uri: \"sip:127.0.0.1:5072\", name: PBX B }"), "p.yaml"));
        ProbeHealth health = new ProbeHealth(1, 1);
        try (Prober prober = new Prober(table, health, (Destination d, Integer timeout) -> CompletableFuture.completedFuture(503),
                new SipMetrics(new SimpleMeterRegistry()))) {
            prober.start();
            Await.until("a log line of the prober", Duration.ofSeconds(30), () -> !lines.list.isEmpty());
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list).first().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(e.getFormattedMessage()).isEqualTo(
                    "destination 00000000-0000-4000-8000-0000000000b1 \"PBX B\" sip:127.0.0.1:5072 is down: probe answered 503");
        });
    }
}
