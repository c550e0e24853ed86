package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WheelSipTimerTest {
    private final WheelSipTimer timer = new WheelSipTimer();

    @BeforeEach
    void start() {
        timer.start(null, new Properties());
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void runsAOneShotTaskOnceAfterItsDelay() throws InterruptedException {
        Counting task = new Counting(1);
        long before = System.nanoTime();
        assertThat(timer.schedule(task, 30)).isTrue();

        assertThat(task.fired.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isGreaterThanOrEqualTo(30);
        awaitMarker(60); // a later task has run: the first is not run again
        assertThat(task.runs.get()).isEqualTo(1);
    }

    @Test
    void runsAPeriodicTaskUntilItIsCancelled() throws InterruptedException {
        Counting task = new Counting(3);
        timer.scheduleWithFixedDelay(task, 0, 10);
        assertThat(task.fired.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(timer.cancel(task)).isTrue();
        int runs = task.runs.get();
        awaitMarker(50);
        assertThat(task.runs.get()).isEqualTo(runs);
        assertThat(task.cleanedUp.get()).isEqualTo(1);
    }

    @Test
    void aCancelledTaskNeverRuns() throws InterruptedException {
        Counting task = new Counting(1);
        timer.schedule(task, 40);
        assertThat(timer.cancel(task)).isTrue();

        awaitMarker(80);
        assertThat(task.runs.get()).isZero();
        assertThat(timer.cancel(task)).as("a second cancel").isFalse();
        assertThat(task.cleanedUp.get()).isEqualTo(1);
    }

    @Test
    void aFailingTaskDoesNotStopTheTimer() throws InterruptedException {
        CountDownLatch failed = new CountDownLatch(1);
        timer.schedule(new SIPStackTimerTask() {
            @Override
            public void runTask() {
                failed.countDown();
                throw new IllegalStateException("task failure for the test");
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        }, 0);
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        awaitMarker(10);
    }

    @Test
    void refusesTasksOnceStopped() {
        timer.stop();
        assertThat(timer.isStarted()).isFalse();
        assertThatThrownBy(() -> timer.schedule(new Counting(1), 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTransactionTimer_runsAtTheFirstSweepAfterItsTransactionEnds_notAtItsNextTick() throws InterruptedException {
        WheelSipTimer sweeping = new WheelSipTimer(task -> task instanceof Ending e ? e.ended::get : null);
        sweeping.start(null, new Properties());
        try {
            Ending ended = new Ending(sweeping, true);
            Ending live = new Ending(sweeping, true);
            sweeping.scheduleWithFixedDelay(ended, 60_000, 60_000);
            sweeping.scheduleWithFixedDelay(live, 60_000, 60_000);
            sweeping.scheduleWithFixedDelay(new Counting(1), 60_000, 60_000); // not a transaction's timer
            assertThat(sweeping.watched()).isEqualTo(2);

            ended.ended.set(true);

            assertThat(ended.fired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ended.runs.get()).isEqualTo(1);
            assertThat(live.runs.get()).isZero();
            assertThat(sweeping.watched()).isEqualTo(1);
            sweeping.cancel(live);
            awaitSweeps(sweeping);
            assertThat(sweeping.watched()).isZero();
        } finally {
            sweeping.stop();
        }
    }

    @Test
    void aTransactionTimerRunByTheSweep_staysArmedOnce() throws InterruptedException {
        WheelSipTimer sweeping = new WheelSipTimer(task -> task instanceof Ending e ? e.ended::get : null);
        sweeping.start(null, new Properties());
        try {
            Ending stubborn = new Ending(sweeping, false); // does not cancel itself when it runs
            stubborn.ended.set(true);
            sweeping.scheduleWithFixedDelay(stubborn, 300, 300);

            assertThat(stubborn.fired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sweeping.watched()).isZero();
            long swept = stubborn.runs.get();
            // its own tick then runs it once per period, not twice: the tick it was armed with is gone
            Counting marker = new Counting(1);
            sweeping.schedule(marker, 700);
            assertThat(marker.fired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stubborn.runs.get() - swept).isBetween(1L, 2L);
        } finally {
            sweeping.stop();
        }
    }

    @Test
    void recognizesJainSipsTransactionTimers() {
        assertThat(WheelSipTimer.recognizesTransactionTimers()).isTrue();
    }

    /** Waits for two sweeps to have run. */
    private static void awaitSweeps(WheelSipTimer t) throws InterruptedException {
        Counting marker = new Counting(1);
        t.schedule(marker, 2 * WheelSipTimer.SWEEP_MS + WheelSipTimer.TICK_MS);
        assertThat(marker.fired.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A transaction's periodic timer, as JAIN-SIP's: once its transaction has ended, a run cancels it. */
    private static final class Ending extends SIPStackTimerTask {
        final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch fired = new CountDownLatch(1);
        private final WheelSipTimer timer;
        private final boolean cancelsWhenEnded;

        Ending(WheelSipTimer timer, boolean cancelsWhenEnded) {
            this.timer = timer;
            this.cancelsWhenEnded = cancelsWhenEnded;
        }

        @Override
        public void runTask() {
            runs.incrementAndGet();
            if (ended.get() && cancelsWhenEnded) {
                timer.cancel(this);
            }
            fired.countDown();
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }

    /** Schedules a task after {@code delayMs} and waits for it: everything due before it has run. */
    private void awaitMarker(long delayMs) throws InterruptedException {
        Counting marker = new Counting(1);
        timer.schedule(marker, delayMs);
        assertThat(marker.fired.await(10, TimeUnit.SECONDS)).as("the marker task ran").isTrue();
    }

    private static final class Counting extends SIPStackTimerTask {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger cleanedUp = new AtomicInteger();
        final CountDownLatch fired;

        Counting(int expectedRuns) {
            fired = new CountDownLatch(expectedRuns);
        }

        @Override
        public void runTask() {
            runs.incrementAndGet();
            fired.countDown();
        }

        @Override
        public void cleanUpBeforeCancel() {
            cleanedUp.incrementAndGet();
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }
}
