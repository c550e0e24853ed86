package io.sipvane.sip.proxy;

/**
 * Where a call's timers run (attempt timer, Timer C, cleanup). {@link ProxyTimers} in the
 * router; a manual clock in the state machine's tests, so that time is exact there.
 */
public interface Scheduler {
    /** Runs {@code task} once after {@code delayMs}; cancelling before then means it never runs. */
    Timer schedule(Runnable task, long delayMs);

    /** A scheduled task. */
    interface Timer {
        void cancel();
    }
}
