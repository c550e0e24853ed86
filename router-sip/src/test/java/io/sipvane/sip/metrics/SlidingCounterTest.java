package io.sipvane.sip.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SlidingCounterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final SlidingCounter counter = new SlidingCounter(clock, 5_000, 60);

    @Test
    void sum_countsEventsOfTheLastFiveMinutes() {
        counter.increment();
        clock.advance(Duration.ofSeconds(100));
        counter.increment();
        counter.increment();
        assertThat(counter.sum()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(200)); // the first is 300 s old: out of the window
        assertThat(counter.sum()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(100));
        assertThat(counter.sum()).isZero();
    }

    @Test
    void increment_reusesASlotOneWindowLaterFromZero() {
        counter.increment();
        counter.increment();
        clock.advance(Duration.ofMinutes(5)); // the same slot, one window on
        counter.increment();
        assertThat(counter.sum()).isEqualTo(1);
    }

    @Test
    void sum_ignoresASlotTheClockHasNotReachedYet() {
        counter.increment();
        MutableClock behind = new MutableClock(Instant.parse("2026-11-30T09:55:00Z"));
        SlidingCounter sameSlots = new SlidingCounter(behind, 5_000, 60);
        sameSlots.increment();
        assertThat(sameSlots.sum()).isEqualTo(1);
        assertThat(counter.sum()).isEqualTo(1);
    }

    @Test
    void increment_losesNoUpdateUnderContention() throws Exception {
        int threads = 4;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    counter.increment();
                }
            });
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertThat(counter.sum()).isEqualTo((long) threads * each);
    }
}
