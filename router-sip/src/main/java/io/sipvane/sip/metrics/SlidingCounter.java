package io.sipvane.sip.metrics;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count of events over a sliding window (the last {@code buckets × bucketMillis}), by
 * wall-clock buckets.
 *
 * <p>Implementation note: one {@link AtomicLongArray} slot per bucket, each slot packing the
 * bucket's number (high 32 bits: millis / bucketMillis) with its count (low 32 bits). An
 * increment reads the slot and CASes either count + 1 (same bucket) or (new bucket, 1) when
 * the slot still holds a bucket one window old: lock-free, no lost updates, no separate reset
 * step that could race. A sum adds the slots whose bucket lies within the window, so the
 * window slides by whole buckets (it covers between {@code window - bucketMillis} and
 * {@code window}). An increment whose clock read is a whole window older than the slot is
 * dropped (a thread descheduled for minutes). Memory: 8 bytes per bucket.
 */
final class SlidingCounter {
    private final Clock clock;
    private final long bucketMillis;
    private final AtomicLongArray slots;

    SlidingCounter(Clock clock, long bucketMillis, int buckets) {
        if (bucketMillis < 1 || buckets < 1) {
            throw new IllegalArgumentException("bucketMillis/buckets: " + bucketMillis + "/" + buckets + " (expected: >= 1)");
        }
        this.clock = clock;
        this.bucketMillis = bucketMillis;
        this.slots = new AtomicLongArray(buckets);
    }

    void increment() {
        long bucket = clock.millis() / bucketMillis;
        int slot = (int) (bucket % slots.length());
        while (true) {
            long v = slots.get(slot);
            long stored = v >>> 32;
            long next;
            if (stored == bucket) {
                next = v + 1;
            } else if (stored < bucket) {
                next = (bucket << 32) | 1;
            } else {
                return; // this thread's clock read is a window late: the slot moved on without it
            }
            if (slots.compareAndSet(slot, v, next)) {
                return;
            }
        }
    }

    /** Events in the window ending now. */
    long sum() {
        long bucket = clock.millis() / bucketMillis;
        long oldest = bucket - slots.length() + 1;
        long sum = 0;
        for (int i = 0; i < slots.length(); i++) {
            long v = slots.get(i);
            long stored = v >>> 32;
            if (stored >= oldest && stored <= bucket) {
                sum += v & 0xFFFF_FFFFL;
            }
        }
        return sum;
    }
}
