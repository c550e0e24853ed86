package io.sipvane.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.health.ProbeHealth.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProbeHealthTest {
    private final ProbeHealth health = new ProbeHealth(2, 3);
    private final UUID uri = UUID.randomUUID();

    @Test
    void unknownDestinationsAreProbingAndUp() {
        assertThat(health.state(uri)).isEqualTo(State.PROBING);
        assertThat(health.isUp(uri)).isTrue();
    }

    @Test
    void probe_marksDownAfterTwoFailures_andUpAfterThreeSuccesses() {
        List<String> changes = new ArrayList<>();
        health.onChange((id, state) -> changes.add(state.token()));

        health.record(uri, true);
        health.record(uri, false);
        assertThat(health.isUp(uri)).isTrue();
        health.record(uri, false);
        assertThat(health.isUp(uri)).isFalse();
        health.record(uri, true);
        health.record(uri, true);
        assertThat(health.state(uri)).isEqualTo(State.DOWN);
        health.record(uri, true);
        assertThat(health.state(uri)).isEqualTo(State.UP);

        assertThat(changes).containsExactly("up", "down", "up");
    }

    @Test
    void aFailureInTheMiddleRestartsTheCount() {
        health.record(uri, false);
        health.record(uri, false);
        health.record(uri, true);
        health.record(uri, true);
        health.record(uri, false);
        health.record(uri, true);
        health.record(uri, true);

        assertThat(health.state(uri)).isEqualTo(State.DOWN);
    }

    @Test
    void retainForgetsDeletedDestinations() {
        UUID other = UUID.randomUUID();
        health.record(uri, false);
        health.record(uri, false);
        health.record(other, false);
        health.record(other, false);

        health.retain(Set.of(other));

        assertThat(health.isUp(uri)).isTrue();
        assertThat(health.isUp(other)).isFalse();
    }

    @Test
    void onTransition_isCalledWithTheUriOnEveryStateChange() {
        ProbeHealth health = new ProbeHealth(2, 2);
        UUID id = UUID.randomUUID();
        java.util.List<UUID> seen = new java.util.ArrayList<>();
        health.onTransition(seen::add);

        health.record(id, false);
        health.record(id, false); // down
        health.record(id, true);
        health.record(id, true); // up

        assertThat(seen).containsExactly(id, id);
    }
}
