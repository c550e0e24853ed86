package io.sipvane.core.routing;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The live routing table: one atomic reference to an immutable {@link RoutingSnapshot}.
 *
 * <p>Implementation note: {@link #current()} is one volatile read; readers never lock and
 * keep the snapshot they read for the whole call. Writers build a new snapshot off to the
 * side and publish it with one {@code set}; the version increases by one per publication.
 * Two kinds of publication, serialized by one lock so versions are monotonic: a config
 * ({@link #publish}: the trunks it changed rebuilt, health read afresh for them) and a health change
 * ({@link #healthChanged}: only the first-pick tables of the trunks routing that URI).
 * Health transitions arrive on call and prober threads, which must not wait behind a
 * config build: a transition is queued and drained by whichever thread holds the lock
 * (tryLock), and every holder drains the queue again after unlocking, so none is lost.
 * A queued URI is removed before its trunks are rebuilt, and the rebuild reads the health
 * view after that, so it sees every transition that was queued before.
 */
public final class RoutingTable {
    private final AtomicReference<RoutingSnapshot> current;
    private final CopyOnWriteArrayList<Consumer<RoutingSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock publishing = new ReentrantLock();
    /** URIs whose health changed since their trunks were last rebuilt; drained under {@link #publishing}. */
    private final Set<UUID> changedHealth = ConcurrentHashMap.newKeySet();
    /** Read and written only under {@link #publishing}. */
    private HealthView health = HealthView.ALL_UP;

    public RoutingTable(SipvaneConfig initial) {
        this.current = new AtomicReference<>(RoutingSnapshot.build(initial, 1));
    }

    /** The snapshot to route one call with. */
    public RoutingSnapshot current() {
        return current.get();
    }

    /** Builds and publishes the snapshot of {@code config}; returns it. */
    public RoutingSnapshot publish(SipvaneConfig config) {
        RoutingSnapshot next;
        publishing.lock();
        try {
            // trunks the config did not change are reused with their first-pick tables: health
            // changes still queued for them are applied by the drain below, so keep the queue
            RoutingSnapshot now = current.get();
            next = RoutingSnapshot.build(config, health, now.version() + 1, now);
            current.set(next);
            for (Consumer<RoutingSnapshot> listener : listeners) {
                listener.accept(next);
            }
        } finally {
            publishing.unlock();
        }
        drainHealthChanges();
        return next;
    }

    /**
     * Makes first picks honour {@code view} from now on: rebuilds every trunk's first-pick
     * table with it and subscribes to its transitions (see {@link HealthView#onTransition}).
     * Call once, at start-up.
     */
    public void useHealth(HealthView view) {
        // subscribe first: a transition during the rebuild below is queued, not lost
        view.onTransition(this::healthChanged);
        publishing.lock();
        try {
            changedHealth.clear();
            health = view;
            RoutingSnapshot now = current.get();
            current.set(now.withHealth(view, now.version() + 1));
        } finally {
            publishing.unlock();
        }
        drainHealthChanges();
    }

    /**
     * The health of {@code uriId} may have changed: republishes the snapshot with the
     * first-pick tables of the trunks that route it rebuilt, now or (when a publication is
     * running on another thread) right after it. Never waits.
     */
    public void healthChanged(UUID uriId) {
        changedHealth.add(uriId);
        drainHealthChanges();
    }

    private void drainHealthChanges() {
        while (!changedHealth.isEmpty() && publishing.tryLock()) {
            try {
                List<UUID> changed = new ArrayList<>();
                for (Iterator<UUID> it = changedHealth.iterator(); it.hasNext(); ) {
                    changed.add(it.next());
                    it.remove();
                }
                RoutingSnapshot now = current.get();
                RoutingSnapshot next = now.withHealth(health, changed, now.version() + 1);
                if (next != now) {
                    current.set(next);
                }
            } finally {
                publishing.unlock();
            }
        }
    }

    /**
     * Called after every publication of a config, on the publishing thread (for example: the
     * prober). Health rebuilds do not call it: they change no destination.
     */
    public void onPublish(Consumer<RoutingSnapshot> listener) {
        listeners.add(listener);
    }
}
