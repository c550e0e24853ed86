package io.sipvane.sip.proxy;

import io.sipvane.core.routing.Destination;
import io.sipvane.sip.metrics.CallJournal;
import io.sipvane.sip.metrics.FinishedCall;
import io.sipvane.sip.metrics.SipMetrics;
import io.sipvane.sip.metrics.SipMetrics.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What one call did, written as one INFO line on logger {@code io.sipvane.calls} when it
 * ends: Call-ID, trunk, every attempt in order (URI id and name, address, result, how long
 * it took), the outcome and the post-dial delay. The same facts go out as key/value pairs,
 * so the JSON log format carries them as fields. The finished call also goes to the
 * metrics' {@link CallJournal}, when they keep one, for the console.
 *
 * <p>Post-dial delay is the time from the INVITE's arrival to the first ringing (a 1xx above
 * 100) or, without one, to the final response sent upstream; it feeds
 * {@code sipvane_post_dial_delay_seconds}. Called under the call's lock only.
 */
public final class CallRecord {
    static final Logger CALLS = LoggerFactory.getLogger("io.sipvane.calls");

    /** A record that logs and measures nothing (state machine tests). */
    static final CallRecord NONE = new CallRecord(null, "-", "-", "-", "-", null, null, () -> 0, null);

    private final String callId;
    private final String from;
    private final String to;
    private final String accountId;
    private final String trunkId;
    private final String trunkName;
    private final SipMetrics metrics;
    private final LongSupplier nanos;
    private final long start;
    private final List<Attempt> attempts = new ArrayList<>();
    private long postDialNanos = -1;
    private boolean ended;

    /**
     * @param callId the caller's Call-ID ({@code null}: log nothing)
     * @param from   the caller's number (From user), already masked when configured
     * @param to     the called number (Request-URI user), already masked when configured
     * @param accountId the trunk's account, whose recent calls the console lists this call in
     * @param nanos  the clock ({@code System::nanoTime} outside tests)
     */
    CallRecord(String callId, String from, String to, String accountId, String trunkId, String trunkName, SipMetrics metrics,
               LongSupplier nanos, Long start) {
        this.callId = callId;
        this.from = from;
        this.to = to;
        this.accountId = accountId;
        this.trunkId = trunkId;
        this.trunkName = trunkName;
        this.metrics = metrics;
        this.nanos = nanos;
        this.start = start == null ? nanos.getAsLong() : start;
    }

    /** {@code 14155550100} as {@code *******0100}. */
    static String mask(String number) {
        if (number == null || number.length() <= 4) {
            return number;
        }
        return "*".repeat(number.length() - 4) + number.substring(number.length() - 4);
    }

    void attemptStarted(Destination destination) {
        attempts.add(new Attempt(destination, nanos.getAsLong()));
    }

    /** The last attempt at {@code destination} ended: a code, {@code timeout}, {@code transport error} or {@code cancelled}. */
    void attemptEnded(Destination destination, String result) {
        long now = nanos.getAsLong();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            Attempt a = attempts.get(i);
            if (a.destination.id().equals(destination.id()) && a.result == null) {
                a.result = result;
                a.nanos = now - a.started;
                return;
            }
        }
        Attempt failedBeforeSending = new Attempt(destination, now); // its name did not resolve
        failedBeforeSending.result = result;
        attempts.add(failedBeforeSending);
    }

    /** Something went upstream that ends the caller's post-dial wait (ringing or a final answer). */
    void progressed() {
        if (postDialNanos < 0) {
            postDialNanos = nanos.getAsLong() - start;
            if (metrics != null && trunkId != null) {
                metrics.postDialDelay(trunkId, postDialNanos);
            }
        }
    }

    /** The call has its final answer upstream ({@code code} 0 when it was cancelled). */
    void ended(Outcome outcome, int code) {
        if (ended) {
            return;
        }
        ended = true;
        if (outcome != Outcome.CANCELLED) {
            progressed();
        }
        for (Attempt a : attempts) {
            if (a.result == null) {
                a.result = outcome == Outcome.CANCELLED ? "cancelled" : "no answer";
                a.nanos = nanos.getAsLong() - a.started;
            }
        }
        if (callId == null) {
            return;
        }
        String outcomeText = outcome.name().toLowerCase(java.util.Locale.ROOT);
        journal(outcomeText, code);
        if (!CALLS.isInfoEnabled()) {
            return;
        }
        String pdd = postDialNanos < 0 ? "-" : millis(postDialNanos) + "ms";
        StringBuilder line = new StringBuilder(200);
        line.append("call ").append(callId).append(" trunk ").append(trunkId).append(" \"").append(trunkName)
                .append("\" from ").append(from).append(" to ").append(to).append(": ").append(outcomeText);
        if (code > 0) {
            line.append(' ').append(code);
        }
        line.append(", post-dial delay ").append(pdd).append(", ").append(attempts.size()).append(" attempt(s)");
        List<String> attemptTexts = new ArrayList<>(attempts.size());
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            String text = a.destination.id() + " \"" + a.destination.source().name() + "\" "
                    + a.destination.source().uri() + " " + a.result + " " + millis(a.nanos) + "ms";
            attemptTexts.add(text);
            line.append(i == 0 ? ": " : "; ").append(i + 1).append(". ").append(text);
        }
        LoggingEventBuilder event = CALLS.atInfo().addKeyValue("call_id", callId).addKeyValue("trunk_id", trunkId)
                .addKeyValue("trunk_name", trunkName).addKeyValue("from", from).addKeyValue("to", to)
                .addKeyValue("outcome", outcomeText).addKeyValue("code", code)
                .addKeyValue("post_dial_delay_ms", postDialNanos < 0 ? null : millis(postDialNanos))
                .addKeyValue("attempts", attemptTexts);
        event.log(line.toString());
    }

    /** Keeps the call for the console (recent calls, per-URI counts), when the metrics keep a journal. */
    private void journal(String outcomeText, int code) {
        CallJournal journal = metrics == null ? null : metrics.journal();
        if (journal == null) {
            return;
        }
        List<FinishedCall.Attempt> done = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            done.add(new FinishedCall.Attempt(a.destination.id(), a.destination.source().name(), a.destination.source().uri(),
                    a.result, millis(a.nanos)));
        }
        journal.ended(callId, accountId, trunkId, trunkName, from, to, outcomeText, code,
                postDialNanos < 0 ? -1 : millis(postDialNanos), done);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static final class Attempt {
        final Destination destination;
        final long started;
        String result;
        long nanos;

        Attempt(Destination destination, long started) {
            this.destination = destination;
            this.started = started;
        }
    }
}
