package io.sipvane.sip.metrics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One call as it ended, for the console's recent calls: the same facts as its log line on
 * {@code io.sipvane.calls} (numbers already masked when {@code logging.mask_numbers}).
 *
 * @param endedAt           when its final answer went upstream (the journal's clock)
 * @param outcome           {@code answered}, {@code busy}, {@code failed} or {@code cancelled}
 * @param code              the final code sent upstream (0: none)
 * @param postDialDelayMs   INVITE to ringing or final answer, or -1 when there was none
 * @param attempts          every destination tried, in order
 */
public record FinishedCall(Instant endedAt, String callId, String accountId, String trunkId, String trunkName, String from,
                           String to, String outcome, int code, long postDialDelayMs, List<Attempt> attempts) {

    public FinishedCall {
        attempts = List.copyOf(attempts);
    }

    /** One destination tried: its URI id, name and URI, the result (a code, {@code timeout}, ...) and how long it took. */
    public record Attempt(UUID uriId, String name, String uri, String result, long millis) {}
}
