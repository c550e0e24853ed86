package io.sipvane.sip.health;

import io.sipvane.core.routing.Destination;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The last OPTIONS probe of each destination: when it ended, what it got back (a code, or why
 * nothing came) and its round trip, for the console's health column.
 *
 * <p>It wraps the probe sender the {@link Prober} is given ({@link #recording}), so the
 * prober itself is unchanged. One {@code ConcurrentHashMap.put} per probe, off the call path.
 */
public final class LastProbes {
    private final Clock clock;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<UUID, Probe> last = new ConcurrentHashMap<>();

    /** @param nanos the round-trip clock ({@code System::nanoTime} outside tests) */
    public LastProbes(Clock clock, LongSupplier nanos) {
        this.clock = clock;
        this.nanos = nanos;
    }

    /**
     * One probe's end.
     *
     * @param code      the answer's code, or null when nothing answered
     * @param failure   why nothing answered ({@code no answer in 2000 ms}), or null
     * @param rttMicros the round trip, or -1 without an answer
     */
    public record Probe(Instant at, Integer code, String failure, long rttMicros) {}

    /** {@code sender}, recording each probe's result here as it completes. */
    public BiFunction<Destination, Integer, CompletableFuture<Integer>> recording(
            BiFunction<Destination, Integer, CompletableFuture<Integer>> sender) {
        return (destination, timeoutMs) -> {
            long start = nanos.getAsLong();
            CompletableFuture<Integer> answer;
            try {
                answer = sender.apply(destination, timeoutMs);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            return answer.whenComplete((code, failure) -> {
                long micros = (nanos.getAsLong() - start) / 1_000;
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
                last.put(destination.id(), failure == null ? new Probe(clock.instant(), code, null, micros)
                        : new Probe(clock.instant(), null, String.valueOf(cause.getMessage()), -1));
            });
        };
    }

    /** The destination's last probe, or null before its first ended. */
    public Probe last(UUID id) {
        return last.get(id);
    }

    /** Forgets destinations that no longer exist. */
    public void retain(Set<UUID> existing) {
        last.keySet().retainAll(existing);
    }
}
