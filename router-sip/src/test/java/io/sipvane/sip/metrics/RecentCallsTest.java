package io.sipvane.sip.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentCallsTest {

    @Test
    void newestFirst_keepsTheLastCapacityCalls() {
        RecentCalls ring = new RecentCalls(3);
        assertThat(ring.newestFirst()).isEmpty();
        for (int i = 1; i <= 5; i++) {
            ring.add(call("c" + i));
        }
        assertThat(ring.newestFirst()).extracting(FinishedCall::callId).containsExactly("c5", "c4", "c3");
    }

    @Test
    void newestFirst_beforeTheRingIsFull() {
        RecentCalls ring = new RecentCalls(100);
        ring.add(call("a"));
        ring.add(call("b"));
        assertThat(ring.newestFirst()).extracting(FinishedCall::callId).containsExactly("b", "a");
    }

    static FinishedCall call(String callId) {
        return new FinishedCall(Instant.EPOCH, callId, "MA", "t", "trunk", "1", "2", "answered", 200, 10, List.of());
    }
}
