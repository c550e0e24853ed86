package io.sipvane.sip.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} finished calls, newest first.
 *
 * <p>Implementation note: a lock-free ring. A writer takes the next sequence number with one
 * {@code getAndIncrement} and stores (sequence, call) in slot {@code sequence % capacity};
 * readers walk back from the latest sequence and keep a slot only when it holds exactly the
 * sequence they expect, so a slot not yet written (or already overwritten by a newer call) is
 * skipped rather than shown twice or out of place. Writers never wait for readers.
 */
final class RecentCalls {
    private final AtomicReferenceArray<Entry> slots;
    private final AtomicLong next = new AtomicLong();

    RecentCalls(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    void add(FinishedCall call) {
        long sequence = next.getAndIncrement();
        slots.set((int) (sequence % slots.length()), new Entry(sequence, call));
    }

    /** At most {@code capacity} calls, newest first. */
    List<FinishedCall> newestFirst() {
        long end = next.get();
        int capacity = slots.length();
        List<FinishedCall> out = new ArrayList<>(capacity);
        for (long s = end - 1; s >= 0 && s >= end - capacity; s--) {
            Entry e = slots.get((int) (s % capacity));
            if (e != null && e.sequence == s) {
                out.add(e.call);
            }
        }
        return out;
    }

    private record Entry(long sequence, FinishedCall call) {}
}
