package io.sipvane.core.health;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sipvane.core.config.HealthSettings;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passive health: a destination that fails {@code quarantineAfter} real calls in a row is
 * skipped by new plans for {@code quarantineMs}, then tried again.
 *
 * <p>Implementation note: two Caffeine caches. {@code isUp} is one lock-free
 * {@code getIfPresent} on the quarantine cache, which expires entries by write time; the
 * consecutive-failure counters expire after the quarantine period too, so a destination
 * that failed once long ago starts from zero. Counting races between call threads can only
 * make the quarantine start one failure late or early, never stick.
 */
public final class PassiveQuarantine implements HealthView {
    private final int threshold;
    private final Duration period;
    private final Cache<UUID, AtomicInteger> failures;
    private final Cache<UUID, Boolean> quarantined;

    public PassiveQuarantine(HealthSettings settings) {
        this(settings.quarantineAfter(), Duration.ofMillis(settings.quarantineMs()), Ticker.systemTicker());
    }

    public PassiveQuarantine(int threshold, Duration quarantine, Ticker ticker) {
        if (threshold < 1) {
            throw new IllegalArgumentException("quarantine_after: " + threshold + " (expected: >= 1)");
        }
        this.threshold = threshold;
        this.period = quarantine;
        this.failures = Caffeine.newBuilder().expireAfterWrite(quarantine).ticker(ticker).build();
        this.quarantined = Caffeine.newBuilder().expireAfterWrite(quarantine).ticker(ticker).build();
    }

    @Override
    public boolean isUp(UUID uriId) {
        return quarantined.getIfPresent(uriId) == null;
    }

    /**
     * A call to this destination failed over (error code, timeout, transport error). True
     * when this failure started a quarantine.
     */
    public boolean recordFailure(UUID uriId) {
        AtomicInteger count = failures.get(uriId, id -> new AtomicInteger());
        if (count.incrementAndGet() >= threshold) {
            boolean started = quarantined.asMap().putIfAbsent(uriId, Boolean.TRUE) == null;
            failures.invalidate(uriId);
            return started;
        }
        return false;
    }

    /** Consecutive failed calls that start a quarantine. */
    public int threshold() {
        return threshold;
    }

    /** How long a quarantine lasts. */
    public Duration period() {
        return period;
    }

    /** The destination answered (any response that is not a failure): reset its count. */
    public void recordSuccess(UUID uriId) {
        if (failures.getIfPresent(uriId) != null) {
            failures.invalidate(uriId);
        }
    }

    /** Ends a quarantine early, for example when an active probe sees the destination up. */
    public void release(UUID uriId) {
        quarantined.invalidate(uriId);
    }
}
