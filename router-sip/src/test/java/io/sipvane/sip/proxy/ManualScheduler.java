package io.sipvane.sip.proxy;

import java.util.PriorityQueue;

/** A {@link Scheduler} on a clock that moves only when the test says so; tasks run on the test's thread. */
final class ManualScheduler implements Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long sequence;

    @Override
    public Timer schedule(Runnable task, long delayMs) {
        Task t = new Task(now + delayMs, sequence++, task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves the clock forward, running every task that falls due on the way, in order. */
    void advance(long ms) {
        long target = now + ms;
        while (!tasks.isEmpty() && tasks.peek().due <= target) {
            Task t = tasks.poll();
            now = t.due;
            if (!t.cancelled) {
                t.run.run();
            }
        }
        now = target;
    }

    /** Tasks scheduled and not cancelled. */
    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long due, long seq, Runnable run) {
            this.due = due;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }
}
