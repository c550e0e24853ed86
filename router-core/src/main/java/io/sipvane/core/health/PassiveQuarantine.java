package io.sipvane.core.health;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sipvane.core.config.HealthSettings;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Passive health: a destination that fails {@code quarantineAfter} real calls in a row is
 * skipped by new calls for {@code quarantineMs}, then tried again.
 *
 * <p>Implementation note: two Caffeine caches. {@code isUp} is one lock-free
 * {@code getIfPresent} on the quarantine cache, which expires entries by write time; the
 * consecutive-failure counters expire after the quarantine period too, so a destination
 * that failed once long ago starts from zero. Counting races between call threads can only
 * make the quarantine start one failure late or early, never stick.
 *
 * <p>Transitions are signalled ({@link #onTransition}) so a routing table can rebuild its
 * first-pick tables: a quarantine that starts or is released signals at once, on the
 * calling thread. An expiry has no thread of its own to signal from, and checking a clock on
 * every call would cost more than the pick itself; so when a quarantine starts, a check is
 * scheduled for its end with the injected {@link Scheduler} (by default the JVM-wide one
 * Caffeine uses, running the check on the common pool). The check signals when the entry
 * has expired by the ticker, and otherwise (the quarantine was renewed) waits out what is
 * left. A first pick therefore takes a destination back a scheduler delay (milliseconds)
 * after {@code isUp} does.
 */
public final class PassiveQuarantine implements HealthView {
    private final int threshold;
    private final long quarantineNanos;
    private final Scheduler scheduler;
    private final Cache<UUID, AtomicInteger> failures;
    private final Cache<UUID, Boolean> quarantined;
    private final CopyOnWriteArrayList<Consumer<UUID>> listeners = new CopyOnWriteArrayList<>();

    public PassiveQuarantine(HealthSettings settings) {
        this(settings.quarantineAfter(), Duration.ofMillis(settings.quarantineMs()), Ticker.systemTicker(),
                Scheduler.systemScheduler());
    }

    /** Without a scheduler: expiries are not signalled (for tests of the counting alone). */
    public PassiveQuarantine(int threshold, Duration quarantine, Ticker ticker) {
        this(threshold, quarantine, ticker, Scheduler.disabledScheduler());
    }

    public PassiveQuarantine(int threshold, Duration quarantine, Ticker ticker, Scheduler scheduler) {
        if (threshold < 1) {
            throw new IllegalArgumentException("quarantine_after: " + threshold + " (expected: >= 1)");
        }
        this.threshold = threshold;
        this.quarantineNanos = quarantine.toNanos();
        this.scheduler = scheduler;
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
            // put renews a quarantine in force (its expiry starts again); started only if there was none
            boolean started = quarantined.getIfPresent(uriId) == null;
            quarantined.put(uriId, Boolean.TRUE);
            failures.invalidate(uriId);
            if (started) {
                scheduleExpiryCheck(uriId, quarantineNanos);
                signal(uriId);
            }
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
        return Duration.ofNanos(quarantineNanos);
    }

    /** The destination answered (any response that is not a failure): reset its count. */
    public void recordSuccess(UUID uriId) {
        if (failures.getIfPresent(uriId) != null) {
            failures.invalidate(uriId);
        }
    }

    /** Ends a quarantine early, for example when an active probe sees the destination up. */
    public void release(UUID uriId) {
        if (quarantined.getIfPresent(uriId) != null) {
            quarantined.invalidate(uriId);
            signal(uriId);
        }
    }

    @Override
    public void onTransition(Consumer<UUID> listener) {
        listeners.add(listener);
    }

    private void scheduleExpiryCheck(UUID uriId, long delayNanos) {
        scheduler.schedule(ForkJoinPool.commonPool(), () -> checkExpiry(uriId), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkExpiry(UUID uriId) {
        if (isUp(uriId)) {
            // expired (or released, which signalled already: a second signal is harmless)
            signal(uriId);
            return;
        }
        // renewed since this check was scheduled: wait out the rest
        OptionalLong age = quarantined.policy().expireAfterWrite()
                .map(p -> p.ageOf(uriId, TimeUnit.NANOSECONDS)).orElse(OptionalLong.empty());
        long left = age.isPresent() ? quarantineNanos - age.getAsLong() : quarantineNanos;
        scheduleExpiryCheck(uriId, Math.max(left, 1));
    }

    private void signal(UUID uriId) {
        for (Consumer<UUID> listener : listeners) {
            listener.accept(uriId);
        }
    }
}
