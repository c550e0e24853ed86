package io.sipvane.core.routing;

import io.sipvane.core.config.SipvaneConfig;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live routing table: one atomic reference to an immutable {@link RoutingSnapshot}.
 *
 * <p>Implementation note: {@link #current()} is one volatile read; readers never lock and
 * keep the snapshot they read for the whole call. Writers build a new snapshot off to the
 * side and publish it with one {@code set}; the version increases by one per publication.
 * Publishing is serialized so versions are monotonic even with concurrent writers.
 */
public final class RoutingTable {
    private final AtomicReference<RoutingSnapshot> current;
    private final CopyOnWriteArrayList<Consumer<RoutingSnapshot>> listeners = new CopyOnWriteArrayList<>();

    public RoutingTable(SipvaneConfig initial) {
        this.current = new AtomicReference<>(RoutingSnapshot.build(initial, 1));
    }

    /** The snapshot to route one call with. */
    public RoutingSnapshot current() {
        return current.get();
    }

    /** Builds and publishes the snapshot of {@code config}; returns it. */
    public synchronized RoutingSnapshot publish(SipvaneConfig config) {
        RoutingSnapshot next = RoutingSnapshot.build(config, current.get().version() + 1);
        current.set(next);
        for (Consumer<RoutingSnapshot> listener : listeners) {
            listener.accept(next);
        }
        return next;
    }

    /** Called after every publication, on the publishing thread (for example: the prober). */
    public void onPublish(Consumer<RoutingSnapshot> listener) {
        listeners.add(listener);
    }
}
