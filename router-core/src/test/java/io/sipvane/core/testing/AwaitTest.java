package io.sipvane.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsOnceTheConditionHolds() throws Exception {
        AtomicInteger checks = new AtomicInteger();

        Await.until("the third check", Duration.ofSeconds(30), () -> checks.incrementAndGet() == 3);

        assertThat(checks).hasValue(3);
    }

    @Test
    void seesAConditionAnotherThreadMakesTrue() throws Exception {
        CountDownLatch set = new CountDownLatch(1);
        Thread other = new Thread(set::countDown);
        other.start();

        Await.until("the other thread ran", Duration.ofSeconds(30), () -> set.getCount() == 0);
        other.join();
    }

    @Test
    void failsNamingWhatItWaitedFor() {
        assertThatThrownBy(() -> Await.until("a file that never comes", Duration.ofMillis(20), () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 20 ms waiting for: a file that never comes");
    }

    @Test
    void passesOnWhatTheConditionThrows() {
        assertThatThrownBy(() -> Await.until("a readable file", Duration.ofSeconds(30), () -> {
            throw new IOException("unreadable");
        })).isInstanceOf(IOException.class).hasMessage("unreadable");
    }
}
