package io.sipvane.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.sip.metrics.SipMetrics;
import io.sipvane.sip.metrics.SipMetrics.Outcome;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CallRecordTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger calls = (Logger) LoggerFactory.getLogger("io.sipvane.calls");
    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RoutedTrunk trunk;
    private ch.qos.logback.classic.Level configured;

    @BeforeEach
    void setUp() throws Exception {
        lines.start();
        calls.addAppender(lines);
        configured = calls.getLevel();
        calls.setLevel(ch.qos.logback.classic.Level.INFO);
        trunk = new RoutingTable(ConfigLoader.parse("""
                accounts: [ { auth_id: MACALLRECORDTEST0001, auth_token: t } ]
                trunks: [ { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MACALLRECORDTEST0001, name: inbound, match: { default: true } } ]
                origination_uris:
                  - { id: aabbccdd-0000-4000-8000-000000000001, account_id: MACALLRECORDTEST0001, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: PBX A, uri: "sip:127.0.0.1:5071", priority: 1 }
                  - { id: aabbccdd-0000-4000-8000-000000000002, account_id: MACALLRECORDTEST0001, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: PBX B, uri: "sip:127.0.0.1:5072", priority: 2 }
                """, "test.yaml")).current().trunkFor("x", "1");
    }

    @AfterEach
    void tearDown() {
        calls.detachAppender(lines);
        calls.setLevel(configured);
    }

    @Test
    void oneLinePerCall_namesEveryAttemptInOrder() {
        CallRecord record = record(false);
        record.attemptStarted(destination(1));
        advance(12);
        record.attemptEnded(destination(1), "503");
        record.attemptStarted(destination(2));
        advance(30);
        record.attemptEnded(destination(2), "timeout");
        record.ended(Outcome.FAILED, 503);

        assertThat(lines.list).hasSize(1);
        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).startsWith("call c-1@host trunk 7f0c1f5e-0000-4000-8000-000000000001 \"inbound\" from 2125550100 to 14155550100: failed 503")
                .contains("post-dial delay 42ms, 2 attempt(s): 1. aabbccdd-0000-4000-8000-000000000001 \"PBX A\" sip:127.0.0.1:5071 503 12ms"
                        + "; 2. aabbccdd-0000-4000-8000-000000000002 \"PBX B\" sip:127.0.0.1:5072 timeout 30ms");
        assertThat(lines.list.get(0).getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("call_id");
            assertThat(kv.value).isEqualTo("c-1@host");
        });
        assertThat(registry.get("sipvane.post.dial.delay").tag("trunk", "7f0c1f5e-0000-4000-8000-000000000001").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(42);
    }

    @Test
    void postDialDelayStopsAtRinging_andACancelledCallNamesItsAttemptCancelled() {
        CallRecord record = record(false);
        record.attemptStarted(destination(1));
        advance(5);
        record.progressed();
        advance(100);
        record.ended(Outcome.CANCELLED, 487);
        record.ended(Outcome.CANCELLED, 487);

        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).contains(": cancelled 487, post-dial delay 5ms")
                .contains("sip:127.0.0.1:5071 cancelled 105ms");
    }

    @Test
    void maskedNumbersKeepTheirLastFourDigits() {
        CallRecord record = record(true);
        record.ended(Outcome.FAILED, 503);

        assertThat(lines.list.get(0).getFormattedMessage()).contains("from ******0100 to *******0100");
    }

    @Test
    void aNameThatDidNotResolveIsAnAttemptToo() {
        CallRecord record = record(false);
        record.attemptEnded(destination(1), "transport error");
        record.ended(Outcome.FAILED, 503);

        assertThat(lines.list.get(0).getFormattedMessage()).contains("1. aabbccdd-0000-4000-8000-000000000001 \"PBX A\" sip:127.0.0.1:5071 transport error 0ms");
    }

    @Test
    void theEndedCallGoesToTheJournal_withItsAccountAndAttempts() {
        var clock = new io.sipvane.core.testing.MutableClock(java.time.Instant.parse("2026-11-30T10:00:00Z"));
        var journal = new io.sipvane.sip.metrics.CallJournal(clock);
        CallRecord record = new CallRecord("c-2@host", "2125550100", "14155550100", trunk.trunk().accountId(),
                trunk.trunk().id().toString(), trunk.trunk().name(), new SipMetrics(registry, journal), nanos::get, 0L);
        record.attemptStarted(destination(1));
        advance(12);
        record.attemptEnded(destination(1), "503");
        record.attemptStarted(destination(2));
        record.attemptEnded(destination(2), "200");
        record.ended(Outcome.ANSWERED, 200);

        assertThat(journal.recent("MACALLRECORDTEST0001")).singleElement().satisfies(call -> {
            assertThat(call.callId()).isEqualTo("c-2@host");
            assertThat(call.outcome()).isEqualTo("answered");
            assertThat(call.code()).isEqualTo(200);
            assertThat(call.to()).isEqualTo("14155550100");
            assertThat(call.endedAt()).isEqualTo(clock.instant());
            assertThat(call.attempts()).extracting(a -> a.name() + " " + a.result() + " " + a.millis())
                    .containsExactly("PBX A 503 12", "PBX B 200 0");
        });
        assertThat(journal.window(destination(1).id()).failovers()).isEqualTo(1);
    }

    private CallRecord record(boolean mask) {
        return new CallRecord("c-1@host", mask ? CallRecord.mask("2125550100") : "2125550100",
                mask ? CallRecord.mask("14155550100") : "14155550100", trunk.trunk().accountId(), trunk.trunk().id().toString(), trunk.trunk().name(),
                new SipMetrics(registry), nanos::get, 0L);
    }

    private Destination destination(int priority) {
        return trunk.destinations().stream().filter(d -> d.priority() == priority).findFirst().orElseThrow();
    }

    private void advance(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
