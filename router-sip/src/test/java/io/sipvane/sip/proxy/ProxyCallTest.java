package io.sipvane.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.Authorization;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.HealthSettings;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.metrics.SipMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The call state machine alone: a recording port instead of the stack and a manual clock
 * instead of time. Destinations {@code a}, {@code b}, {@code c} sit at priorities 1, 2, 3, so
 * the walk's order is fixed.
 */
class ProxyCallTest {
    private static final MessageFactoryImpl MESSAGES = new MessageFactoryImpl();
    private static final long ATTEMPT_MS = 1000;
    private static final long TIMER_C_MS = 180_000;

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingPort port = new RecordingPort();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PassiveQuarantine quarantine = new PassiveQuarantine(1, Duration.ofMinutes(1),
            () -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
    private RoutedTrunk trunk;

    // ------------------------------------------------------------------ failover

    @ParameterizedTest
    @ValueSource(ints = {408, 480, 500, 502, 503, 504})
    void finalResponseOnAFailoverCode_movesToTheNextDestination(int code) {
        ProxyCall call = start(3);

        call.onResponse(port.branch("a"), response(code));
        call.onResponse(port.branch("b"), response(200));

        assertThat(port.actions).containsExactly("send a", "send b", "ended", "relay 200");
        assertThat(counter("sipvane.failovers", "reason", "code")).isEqualTo(1);
        // only a 5xx says the PBX itself is sick; 408 and 480 speak of the callee
        assertThat(quarantine.isUp(destination("a").id())).as("a after %d", code).isEqualTo(code < 500);
        assertThat(quarantine.isUp(destination("b").id())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 404, 407, 480, 486})
    void answersAboutTheCallee_neverCountAgainstTheDestination(int code) {
        ProxyCall call = start(3, "on_codes: [480, 503]");

        call.onResponse(port.branch("a"), response(code));

        assertThat(quarantine.isUp(destination("a").id())).isTrue();
    }

    @Test
    void silenceAndTransportErrors_countAgainstTheDestination() {
        ProxyCall call = start(3);
        clock.advance(ATTEMPT_MS);
        call.onTransportError(port.branch("b"), "I/O error");

        assertThat(quarantine.isUp(destination("a").id())).isFalse();
        assertThat(quarantine.isUp(destination("b").id())).isFalse();
    }

    @Test
    void codeOutsideTheConfiguredOnes_endsTheWalk() {
        ProxyCall call = start(3, "on_codes: [503]");

        call.onResponse(port.branch("a"), response(480));

        assertThat(port.actions).containsExactly("send a", "ended", "final 480");
    }

    @Test
    void inviteThatCannotBeSent_movesOnAtOnce() {
        port.unreachable.add("a");
        ProxyCall call = start(3);

        call.onResponse(port.branch("b"), response(200));

        assertThat(port.actions).containsExactly("unreachable a", "send b", "ended", "relay 200");
        assertThat(counter("sipvane.failovers", "reason", "transport")).isEqualTo(1);
        assertThat(counter("sipvane.attempts", "class", "transport")).isEqualTo(1);
    }

    @Test
    void transportErrorAfterSending_movesToTheNextDestination() {
        ProxyCall call = start(3);

        call.onTransportError(port.branch("a"), "I/O error");

        assertThat(port.actions).containsExactly("send a", "abandon a", "send b");
        assertThat(counter("sipvane.failovers", "reason", "transport")).isEqualTo(1);
    }

    @Test
    void silentDestination_isAbandonedAfterTheAttemptTimeout_withoutCancel() {
        ProxyCall call = start(3);

        clock.advance(ATTEMPT_MS - 1);
        assertThat(port.actions).containsExactly("send a");
        clock.advance(1);

        assertThat(port.actions).containsExactly("send a", "abandon a", "send b");
        assertThat(counter("sipvane.attempts", "class", "timeout")).isEqualTo(1);
        assertThat(counter("sipvane.failovers", "reason", "timeout")).isEqualTo(1);
    }

    @Test
    void answeredCall_leavesNoTimerBehind() {
        ProxyCall call = start(3);

        call.onResponse(port.branch("a"), response(100));
        call.onResponse(port.branch("a"), response(180));
        call.onResponse(port.branch("a"), response(200));

        assertThat(clock.pending()).isZero();
        assertThat(port.actions).containsExactly("send a", "relay 180", "ended", "relay 200");
        assertThat(counter("sipvane.calls", "outcome", "answered")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ no failover once reached or refused

    @Test
    void afterA18x_aFailoverCodeIsRelayedAndNothingElseIsTried() {
        ProxyCall call = start(3);

        call.onResponse(port.branch("a"), response(180));
        call.onResponse(port.branch("a"), response(503));

        assertThat(port.actions).containsExactly("send a", "relay 180", "ended", "final 500 (503)");
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 486, 600, 603, 604})
    void refusalsAboutTheCallee_endTheWalk(int code) {
        ProxyCall call = start(3, "on_codes: [404, 486, 503, 600, 603]");

        call.onResponse(port.branch("a"), response(code));

        assertThat(port.actions).containsExactly("send a", "ended", "final " + code);
        assertThat(quarantine.isUp(destination("a").id())).as("the PBX itself is fine").isTrue();
        assertThat(counter("sipvane.calls", "outcome", code == 404 || code == 604 ? "failed" : "busy")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ Timer C

    @Test
    void timerC_onARingingBranch_cancelsItAndAnswers408() {
        ProxyCall call = start(3);
        call.onResponse(port.branch("a"), response(180));

        clock.advance(TIMER_C_MS);

        assertThat(port.actions).containsExactly("send a", "relay 180", "cancel a", "ended", "respond 408");
    }

    @Test
    void timerC_isRestartedByEveryLaterProvisional() {
        ProxyCall call = start(3);
        call.onResponse(port.branch("a"), response(180));
        clock.advance(TIMER_C_MS - 1);
        call.onResponse(port.branch("a"), response(183));

        clock.advance(TIMER_C_MS - 1);
        assertThat(port.actions).as("still ringing").containsExactly("send a", "relay 180", "relay 183");
        clock.advance(1);

        assertThat(port.actions).endsWith("cancel a", "ended", "respond 408");
    }

    @Test
    void timerC_afterOnly100Trying_cancelsAndFailsOver() {
        ProxyCall call = start(3);
        call.onResponse(port.branch("a"), response(100));

        clock.advance(ATTEMPT_MS);
        assertThat(port.actions).as("a 1xx stops the attempt timer").containsExactly("send a");
        clock.advance(TIMER_C_MS - ATTEMPT_MS);

        assertThat(port.actions).containsExactly("send a", "cancel a", "send b");
    }

    // ------------------------------------------------------------------ CANCEL

    @Test
    void cancelBeforeAny1xx_answers487_andCancelsTheBranchOnItsFirst1xx() {
        ProxyCall call = start(3);

        call.onCancel();
        assertThat(port.actions).containsExactly("send a", "ended", "respond 487");
        call.onResponse(port.branch("a"), response(100));

        assertThat(port.actions).containsExactly("send a", "ended", "respond 487", "cancel a");
        assertThat(counter("sipvane.calls", "outcome", "cancelled")).isEqualTo(1);
    }

    @Test
    void cancelBeforeAny1xx_withASilentDestination_triesNothingElse() {
        ProxyCall call = start(3);
        call.onCancel();

        clock.advance(ATTEMPT_MS);

        assertThat(port.actions).containsExactly("send a", "ended", "respond 487", "abandon a");
    }

    @Test
    void cancelAfter1xx_cancelsTheLiveBranch() {
        ProxyCall call = start(3);
        call.onResponse(port.branch("a"), response(183));

        call.onCancel();
        call.onResponse(port.branch("a"), response(487));

        assertThat(port.actions).containsExactly("send a", "relay 183", "ended", "respond 487", "cancel a");
    }

    @Test
    void answerRacingTheCancel_isAckedAndByed() {
        ProxyCall call = start(3);
        call.onResponse(port.branch("a"), response(180));
        call.onCancel();

        call.onResponse(port.branch("a"), response(200));

        assertThat(port.actions).containsExactly("send a", "relay 180", "ended", "respond 487", "cancel a", "ack+bye a");
    }

    // ------------------------------------------------------------------ late answers

    @Test
    void late2xxOfAnAbandonedBranch_isAckedAndByed_whileTheCallGoesOnElsewhere() {
        ProxyCall call = start(3);
        clock.advance(ATTEMPT_MS);
        Branch a = port.branch("a");

        call.onResponse(a, response(200));
        call.onLate2xx(a, response(200));
        call.onResponse(port.branch("b"), response(200));

        assertThat(port.actions).containsExactly("send a", "abandon a", "send b", "ack+bye a", "ack+bye a",
                "ended", "relay 200");
    }

    @Test
    void late1xxOfAnAbandonedBranch_isCancelled() {
        ProxyCall call = start(3);
        clock.advance(ATTEMPT_MS);

        call.onResponse(port.branch("a"), response(180));

        assertThat(port.actions).containsExactly("send a", "abandon a", "send b", "cancel a");
    }

    @Test
    void secondForkAnswering_isRelayedStatelessly() {
        ProxyCall call = start(3);
        call.onResponse(port.branch("a"), response(200));

        call.onResponse(port.branch("a"), response(200));

        assertThat(port.actions).containsExactly("send a", "ended", "relay 200", "another 2xx");
    }

    // ------------------------------------------------------------------ limits and modes

    @Test
    void maxAttempts_boundsTheWalk() {
        ProxyCall call = start(3, "max_attempts: 2");

        call.onResponse(port.branch("a"), response(503));
        call.onResponse(port.branch("b"), response(503));

        assertThat(port.actions).containsExactly("send a", "send b", "ended", "final 500 (503)");
    }

    @Test
    void planSpentWithNoAnswerAtAll_answers503() {
        ProxyCall call = start(2);

        clock.advance(ATTEMPT_MS);
        clock.advance(ATTEMPT_MS);

        assertThat(port.actions).containsExactly("send a", "abandon a", "send b", "abandon b", "ended", "respond 503");
        assertThat(counter("sipvane.calls", "outcome", "failed")).isEqualTo(1);
    }

    @Test
    void everyDestinationDown_panicModeStillTriesThemInOrder() {
        ProxyCall call = start(3, "", uriId -> false);

        call.onResponse(port.branch("a"), response(503));
        call.onResponse(port.branch("b"), response(200));

        assertThat(port.actions).containsExactly("send a", "send b", "ended", "relay 200");
    }

    @Test
    void downDestination_isSkipped() {
        UUID a = UUID.fromString("aabbccdd-0000-4000-8000-000000000000"); // the first URI of the fixture
        ProxyCall call = start(3, "", uriId -> !uriId.equals(a));

        call.onResponse(port.branch("b"), response(200));

        assertThat(port.actions).containsExactly("send b", "ended", "relay 200");
    }

    // ------------------------------------------------------------------ response selection (RFC 3261 16.7)

    @Test
    void bestFinalResponse_lowestClassWins() {
        ProxyCall call = start(3, "on_codes: [480, 503]");

        call.onResponse(port.branch("a"), response(503));
        call.onResponse(port.branch("b"), response(480));
        call.onResponse(port.branch("c"), response(503));

        assertThat(port.actions).endsWith("ended", "final 480");
    }

    @Test
    void bestFinalResponse_prefersA4xxThatGuidesResubmission() {
        ProxyCall call = start(3, "on_codes: [480, 484, 503]");

        call.onResponse(port.branch("a"), response(480));
        call.onResponse(port.branch("b"), response(484));
        call.onResponse(port.branch("c"), response(480));

        assertThat(port.actions).endsWith("ended", "final 484");
    }

    // ------------------------------------------------------------------ digest and DNS

    @Test
    void challenge_isAnsweredOnceWithCredentials_aSecondChallengeFailsOver() throws Exception {
        port.credentials = new Authorization();
        ProxyCall call = start(3, "", HealthView.ALL_UP, true);

        call.onResponse(port.branch("a"), response(401));
        call.onResponse(port.branch("a"), response(401));
        call.onResponse(port.branch("b"), response(200));

        assertThat(port.actions).containsExactly("send a", "send a auth", "send b", "ended", "relay 200");
        assertThat(counter("sipvane.attempts", "class", "4xx")).as("one per 401").isEqualTo(2);
    }

    @Test
    void challengeWithoutCredentials_failsOverAndIsNeverRelayed() {
        ProxyCall call = start(3);

        call.onResponse(port.branch("a"), response(407));
        call.onResponse(port.branch("b"), response(486));

        assertThat(port.actions).containsExactly("send a", "send b", "ended", "final 486");
    }

    @Test
    void destinationNamedByHost_isResolvedFirst_andAFailedLookupFailsOver() {
        ProxyCall call = start("a", "sip:pbx-a.test:5071", "b", "sip:pbx-b.test:5072");
        assertThat(port.actions).containsExactly("resolve pbx-a.test");

        port.lookups.get("pbx-a.test").completeExceptionally(new java.net.UnknownHostException("pbx-a.test"));
        port.lookups.get("pbx-b.test").complete(new Object());

        assertThat(port.actions).containsExactly("resolve pbx-a.test", "resolve pbx-b.test", "send b");
        assertThat(counter("sipvane.failovers", "reason", "transport")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ fixtures

    private ProxyCall start(int destinations) {
        return start(destinations, "");
    }

    private ProxyCall start(int destinations, String failoverLine) {
        return start(destinations, failoverLine, HealthView.ALL_UP);
    }

    private ProxyCall start(int destinations, String failoverLine, HealthView health) {
        return start(destinations, failoverLine, health, false);
    }

    private ProxyCall start(int destinations, String failoverLine, HealthView health, boolean credentials) {
        List<String> spec = new ArrayList<>();
        for (int i = 0; i < destinations; i++) {
            spec.add(String.valueOf((char) ('a' + i)));
            spec.add("sip:127.0.0.1:" + (5071 + i));
        }
        return start(failoverLine, health, credentials, spec.toArray(new String[0]));
    }

    private ProxyCall start(String... nameAndUri) {
        return start("", HealthView.ALL_UP, false, nameAndUri);
    }

    private ProxyCall start(String failoverLine, HealthView health, boolean credentials, String... nameAndUri) {
        StringBuilder yaml = new StringBuilder("""
                sip:
                  listen: ["udp:127.0.0.1:5060"]
                  failover:
                    attempt_timeout_ms: %d
                """.formatted(ATTEMPT_MS));
        if (!failoverLine.isEmpty()) {
            yaml.append("    ").append(failoverLine).append('\n');
        }
        yaml.append("""
                accounts: [ { auth_id: MAPROXYCALLTEST00001, auth_token: t } ]
                trunks: [ { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MAPROXYCALLTEST00001, name: t, match: { default: true } } ]
                origination_uris:
                """);
        for (int i = 0; i < nameAndUri.length; i += 2) {
            yaml.append("  - { id: aabbccdd-0000-4000-8000-00000000000").append(i / 2)
                    .append(", account_id: MAPROXYCALLTEST00001, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: ")
                    .append(nameAndUri[i]).append(", uri: \"").append(nameAndUri[i + 1]).append("\", priority: ")
                    .append(i / 2 + 1).append(", weight: 10");
            if (credentials) {
                yaml.append(", authentication_needed: true, username: u, password: p");
            }
            yaml.append(" }\n");
        }
        try {
            RoutingTable table = new RoutingTable(ConfigLoader.parse(yaml.toString(), "test.yaml"));
            table.useHealth(health);
            trunk = table.current().trunkFor("x", "1");
        } catch (Exception e) {
            throw new IllegalStateException(yaml.toString(), e);
        }
        Random random = new Random(1);
        CallContext context = new CallContext(clock, TIMER_C_MS, new BranchIds(), new SipMetrics(registry), quarantine,
                random, health);
        ProxyCall call = new ProxyCall(port, context, trunk, trunk.firstPick(random), HealthSettings.DEFAULT, "t",
                CallRecord.NONE);
        call.start();
        return call;
    }

    private Destination destination(String name) {
        return trunk.destinations().stream().filter(d -> d.source().name().equals(name)).findFirst().orElseThrow();
    }

    private double counter(String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Response response(int code) {
        try {
            return MESSAGES.createResponse("SIP/2.0 " + code + " Test\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsv1\r\n"
                    + "From: <sip:caller@127.0.0.1>;tag=1\r\nTo: <sip:+14155550100@127.0.0.1>" + (code > 100 ? ";tag=2" : "") + "\r\n"
                    + "Call-ID: call-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
