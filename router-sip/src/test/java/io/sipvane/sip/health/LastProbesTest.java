package io.sipvane.sip.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.testing.MutableClock;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LastProbesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final AtomicLong nanos = new AtomicLong();
    private final LastProbes probes = new LastProbes(clock, nanos::get);
    private final Destination pbx = new Destination(OriginationUri.of(UUID.fromString("aabbccdd-0000-4000-8000-000000000001"),
            "MA", null, "sip:127.0.0.1:5071", 1, 10), 1);

    @Test
    void recording_keepsTheLastAnswerWithItsRoundTrip() {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        var sender = probes.recording((d, timeout) -> answer);
        sender.apply(pbx, 2000);
        assertThat(probes.last(pbx.id())).isNull();

        nanos.addAndGet(3_500_000);
        answer.complete(200);
        assertThat(probes.last(pbx.id())).isEqualTo(new LastProbes.Probe(clock.instant(), 200, null, 3_500));
    }

    @Test
    void recording_keepsWhyNothingAnswered() {
        var sender = probes.recording((d, timeout) -> CompletableFuture.failedFuture(new IOException("no answer in 2000 ms")));
        sender.apply(pbx, 2000);
        assertThat(probes.last(pbx.id())).isEqualTo(new LastProbes.Probe(clock.instant(), null, "no answer in 2000 ms", -1));

        probes.retain(Set.of());
        assertThat(probes.last(pbx.id())).isNull();
    }
}
