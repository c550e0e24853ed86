package io.sipvane.core.testing;

import java.time.Duration;

/**
 * Waits for a condition that raises no event of its own (a file the store rewrites, a counter
 * another thread bumps, a process's log line): checks it at once, then again after 1, 2, 4 ...
 * ms, at most 50 ms apart, until it holds or {@code timeout} has passed, and then fails naming
 * what it waited for. A test never sleeps for a fixed time instead.
 */
public final class Await {
    private static final long FIRST_PAUSE_MS = 1;
    private static final long LONGEST_PAUSE_MS = 50;

    /** A check that may throw: reading a file, a socket, an HTTP answer. */
    @FunctionalInterface
    public interface Condition<E extends Exception> {
        boolean holds() throws E;
    }

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with {@code what} after {@code timeout}. */
    public static <E extends Exception> void until(String what, Duration timeout, Condition<E> condition)
            throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MS;
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
        }
    }
}
