package io.sipvane.core.health;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * Whether a destination may take new calls. Read when a routing snapshot builds its
 * first-pick tables, and on the call path once per candidate when a failover plan enters a
 * priority: implementations answer without locks.
 */
@FunctionalInterface
public interface HealthView {

    /** Every destination up: no probing, no quarantine. */
    HealthView ALL_UP = uriId -> true;

    boolean isUp(UUID uriId);

    /**
     * Calls {@code listener} with a destination's id whenever {@link #isUp} may have changed
     * its answer for it, including by the passing of time; a routing table rebuilds the
     * first-pick tables of that destination's trunks then. Spurious calls are harmless (the
     * listener reads {@link #isUp} again). A view whose answers change must override this;
     * the default, for fixed views, never calls.
     */
    default void onTransition(Consumer<UUID> listener) {
        // a fixed view never changes
    }

    /** Up only when both views say so (for example probe state and passive quarantine). */
    default HealthView and(HealthView other) {
        HealthView self = this;
        return new HealthView() {
            @Override
            public boolean isUp(UUID uriId) {
                return self.isUp(uriId) && other.isUp(uriId);
            }

            @Override
            public void onTransition(Consumer<UUID> listener) {
                self.onTransition(listener);
                other.onTransition(listener);
            }
        };
    }
}
