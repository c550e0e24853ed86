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
