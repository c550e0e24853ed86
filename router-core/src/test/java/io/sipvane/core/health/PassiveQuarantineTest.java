package io.sipvane.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PassiveQuarantineTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final PassiveQuarantine quarantine = new PassiveQuarantine(2, Duration.ofSeconds(10), ticker);
    private final UUID uri = UUID.randomUUID();

    @Test
    void downAfterConsecutiveFailures_upAgainAfterTheQuarantine() {
        quarantine.recordFailure(uri);
        assertThat(quarantine.isUp(uri)).isTrue();

        quarantine.recordFailure(uri);
        assertThat(quarantine.isUp(uri)).isFalse();

        advance(Duration.ofSeconds(9));
        assertThat(quarantine.isUp(uri)).isFalse();
        advance(Duration.ofSeconds(2));
        assertThat(quarantine.isUp(uri)).isTrue();
    }

    @Test
    void aSuccessResetsTheCount() {
        quarantine.recordFailure(uri);
        quarantine.recordSuccess(uri);
        quarantine.recordFailure(uri);

        assertThat(quarantine.isUp(uri)).isTrue();
    }

    @Test
    void oldFailuresAreForgotten() {
        quarantine.recordFailure(uri);
        advance(Duration.ofSeconds(11));
        quarantine.recordFailure(uri);

        assertThat(quarantine.isUp(uri)).isTrue();
    }

    @Test
    void releaseEndsTheQuarantineEarly() {
        quarantine.recordFailure(uri);
        quarantine.recordFailure(uri);

        quarantine.release(uri);

        assertThat(quarantine.isUp(uri)).isTrue();
    }

    @Test
    void otherUrisAreUnaffected() {
        quarantine.recordFailure(uri);
        quarantine.recordFailure(uri);

        assertThat(quarantine.isUp(UUID.randomUUID())).isTrue();
        assertThat(quarantine.and(HealthView.ALL_UP).isUp(uri)).isFalse();
    }

    @Test
    void signalsStartReleaseAndExpiry_once_each() {
        java.util.List<UUID> signals = new java.util.ArrayList<>();
        java.util.List<Runnable> scheduled = new java.util.ArrayList<>();
        PassiveQuarantine q = new PassiveQuarantine(2, Duration.ofSeconds(10), ticker, (executor, command, delay, unit) -> {
            scheduled.add(command);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        q.onTransition(signals::add);

        q.recordFailure(uri);
        assertThat(signals).isEmpty();
        q.recordFailure(uri);
        assertThat(signals).containsExactly(uri);
        q.recordFailure(uri);
        q.recordFailure(uri); // renewed, not a transition
        assertThat(signals).hasSize(1);

        advance(Duration.ofSeconds(10));
        scheduled.remove(0).run();
        assertThat(signals).hasSize(2);
        assertThat(q.isUp(uri)).isTrue();

        q.release(uri); // not quarantined: nothing to signal
        assertThat(signals).hasSize(2);
        q.recordFailure(uri);
        q.recordFailure(uri);
        q.release(uri);
        assertThat(signals).hasSize(4);
    }

    @Test
    void thresholdMustBePositive() {
        assertThatThrownBy(() -> new PassiveQuarantine(0, Duration.ofSeconds(1), ticker))
                .hasMessage("quarantine_after: 0 (expected: >= 1)");
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
