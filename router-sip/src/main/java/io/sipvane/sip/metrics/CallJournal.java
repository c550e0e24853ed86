package io.sipvane.sip.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the console shows of recent traffic, kept in memory: the last {@code recentPerAccount}
 * finished calls of each account, and per origination URI the calls sent to it and the calls
 * that failed over from it in the last five minutes.
 *
 * <p>Fed once per call, when it ends ({@code CallRecord}): an attempt counts as a call of its
 * URI (a second attempt at the same URI answering its challenge is the same call), and as a
 * failover of that URI when the call went on to another URI after it. A call still in progress
 * is counted when it ends.
 *
 * <p>Implementation note: no locks. Per-account rings and per-URI counters are created on
 * first use ({@code ConcurrentHashMap.get}, then {@code computeIfAbsent} only on a miss);
 * recording is a ring slot write and one CAS per counter ({@link RecentCalls},
 * {@link SlidingCounter}). Counters of URIs idle for a whole window are dropped when the map
 * has doubled since the last sweep, so deleted URIs do not accumulate (a sweep racing the
 * first call of such an idle URI may lose that one count). Memory: about 1 KiB
 * per URI that took calls in the window, and {@code recentPerAccount} calls per account.
 */
public final class CallJournal {
    /** The window of the per-URI counts. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Recent calls kept per account by default. */
    public static final int RECENT_PER_ACCOUNT = 100;
    private static final long BUCKET_MILLIS = 5_000;
    private static final int BUCKETS = (int) (WINDOW.toMillis() / BUCKET_MILLIS);
    private static final int MIN_SWEEP = 1024;

    private final Clock clock;
    private final int recentPerAccount;
    private final Map<String, RecentCalls> recent = new ConcurrentHashMap<>();
    private final Map<UUID, UriCounts> uris = new ConcurrentHashMap<>();
    /** Size of {@link #uris} that triggers the next sweep; racy reads only delay or repeat a sweep. */
    private volatile int sweepAt = MIN_SWEEP;

    public CallJournal(Clock clock) {
        this(clock, RECENT_PER_ACCOUNT);
    }

    public CallJournal(Clock clock, int recentPerAccount) {
        if (recentPerAccount < 1) {
            throw new IllegalArgumentException("recentPerAccount: " + recentPerAccount + " (expected: >= 1)");
        }
        this.clock = clock;
        this.recentPerAccount = recentPerAccount;
    }

    /** The clock calls are stamped with. */
    public Clock clock() {
        return clock;
    }

    /** A call's final answer went upstream: kept, stamped with this journal's clock, and counted per URI. */
    public void ended(String callId, String accountId, String trunkId, String trunkName, String from, String to,
                      String outcome, int code, long postDialDelayMs, List<FinishedCall.Attempt> attempts) {
        FinishedCall call = new FinishedCall(clock.instant(), callId, accountId, trunkId, trunkName, from, to, outcome, code,
                postDialDelayMs, attempts);
        RecentCalls ring = recent.get(accountId);
        if (ring == null) {
            ring = recent.computeIfAbsent(accountId, a -> new RecentCalls(recentPerAccount));
        }
        ring.add(call);
        count(call.attempts());
    }

    private void count(List<FinishedCall.Attempt> attempts) {
        for (int i = 0; i < attempts.size(); i++) {
            UUID id = attempts.get(i).uriId();
            if (i > 0 && attempts.get(i - 1).uriId().equals(id)) {
                continue; // the same URI again: its challenge answered, one call
            }
            UriCounts counts = counts(id);
            counts.calls.increment();
            for (int j = i + 1; j < attempts.size(); j++) {
                if (!attempts.get(j).uriId().equals(id)) {
                    counts.failovers.increment();
                    break;
                }
            }
        }
    }

    private UriCounts counts(UUID id) {
        UriCounts counts = uris.get(id);
        if (counts == null) {
            counts = uris.computeIfAbsent(id, k -> new UriCounts(clock));
            if (uris.size() >= sweepAt) {
                uris.values().removeIf(c -> c.calls.sum() == 0);
                sweepAt = Math.max(MIN_SWEEP, uris.size() * 2);
            }
        }
        return counts;
    }

    /** The account's last calls, newest first. */
    public List<FinishedCall> recent(String accountId) {
        RecentCalls ring = recent.get(accountId);
        return ring == null ? List.of() : ring.newestFirst();
    }

    /** Calls sent to {@code uriId} and calls that failed over from it, in the last {@link #WINDOW}. */
    public Window window(UUID uriId) {
        UriCounts counts = uris.get(uriId);
        return counts == null ? Window.EMPTY : new Window(counts.calls.sum(), counts.failovers.sum());
    }

    /** One URI's counts over the window. */
    public record Window(long calls, long failovers) {
        public static final Window EMPTY = new Window(0, 0);
    }

    private static final class UriCounts {
        final SlidingCounter calls;
        final SlidingCounter failovers;

        UriCounts(Clock clock) {
            calls = new SlidingCounter(clock, BUCKET_MILLIS, BUCKETS);
            failovers = new SlidingCounter(clock, BUCKET_MILLIS, BUCKETS);
        }
    }
}
