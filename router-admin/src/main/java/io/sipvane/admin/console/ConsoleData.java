package io.sipvane.admin.console;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * What the console reads besides the config: per-URI health and recent traffic, and the
 * account's recent calls. Implemented by the application from the SIP side (router-admin
 * knows nothing of SIP); every method answers at once from memory, without locks.
 */
public interface ConsoleData {

    /** The URI's health now. */
    UriHealth health(UUID uriId);

    /** Calls sent to the URI and calls that failed over from it in the last five minutes. */
    UriTraffic traffic(UUID uriId);

    /** The account's last calls, newest first. */
    List<RecentCall> recentCalls(String accountId);

    /** Health from {@code states} alone, no traffic, no calls: for an admin server without a SIP side. */
    static ConsoleData basic(Function<UUID, String> states) {
        return new ConsoleData() {
            @Override
            public UriHealth health(UUID uriId) {
                return new UriHealth(states.apply(uriId), "", null);
            }

            @Override
            public UriTraffic traffic(UUID uriId) {
                return UriTraffic.NONE;
            }

            @Override
            public List<RecentCall> recentCalls(String accountId) {
                return List.of();
            }
        };
    }

    /**
     * @param state          {@code up}, {@code down}, {@code probing} or {@code unused}
     * @param reason         why, in a few words ({@code probe: no answer in 2000 ms}); may be empty
     * @param probeRttMicros the last probe's round trip, or null when it got no answer or none ran
     */
    record UriHealth(String state, String reason, Long probeRttMicros) {}

    record UriTraffic(long calls, long failovers) {
        public static final UriTraffic NONE = new UriTraffic(0, 0);
    }

    /**
     * One finished call.
     *
     * @param outcome         {@code answered}, {@code busy}, {@code failed} or {@code cancelled}
     * @param code            the final code sent upstream (0: none)
     * @param postDialDelayMs -1 when there was none
     */
    record RecentCall(Instant endedAt, String callId, String trunkId, String trunkName, String from, String to,
                      String outcome, int code, long postDialDelayMs, List<TriedUri> attempts) {
        public RecentCall {
            attempts = List.copyOf(attempts);
        }
    }

    /** One destination a call tried, with its result (a code, {@code timeout}, {@code transport error}, ...). */
    record TriedUri(UUID uriId, String name, String uri, String result, long millis) {}
}
