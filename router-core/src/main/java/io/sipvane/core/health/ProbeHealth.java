package io.sipvane.core.health;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Active health: the result of OPTIONS probes, with hysteresis. A destination starts
 * {@link State#PROBING} (treated as up: a new destination takes calls before its first
 * probe), goes {@link State#DOWN} after {@code downAfter} consecutive failed probes and
 * {@link State#UP} again after {@code upAfter} consecutive good ones (from PROBING, one good
 * probe is enough).
 *
 * <p>Implementation note: {@link #isUp} is one lock-free {@code ConcurrentHashMap.get} and a
 * volatile read, on the call path. Probe results for one destination arrive one at a time
 * (each destination has one probe in flight at most); the per-tracker monitor only guards
 * against a late result racing the next probe. Listeners run on the thread that records the
 * result that changed the state.
 */
public final class ProbeHealth implements HealthView {

    /** What probing says of a destination. */
    public enum State {
        PROBING, UP, DOWN;

        /** The lower-case name used in the API and metrics. */
        public String token() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int downAfter;
    private final int upAfter;
    private final ConcurrentHashMap<UUID, Tracker> trackers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<BiConsumer<UUID, State>> listeners = new CopyOnWriteArrayList<>();

    public ProbeHealth(int downAfter, int upAfter) {
        if (downAfter < 1 || upAfter < 1) {
            throw new IllegalArgumentException("down_after/up_after: " + downAfter + "/" + upAfter + " (expected: >= 1)");
        }
        this.downAfter = downAfter;
        this.upAfter = upAfter;
    }

    @Override
    public boolean isUp(UUID uriId) {
        Tracker t = trackers.get(uriId);
        return t == null || t.state != State.DOWN;
    }

    /** The probing state; {@link State#PROBING} for a destination not probed yet. */
    public State state(UUID uriId) {
        Tracker t = trackers.get(uriId);
        return t == null ? State.PROBING : t.state;
    }

    /** Records one probe result and fires the listeners when the state changes. */
    public void record(UUID uriId, boolean ok) {
        Tracker t = trackers.computeIfAbsent(uriId, id -> new Tracker());
        State before;
        State after;
        synchronized (t) {
            before = t.state;
            if (ok) {
                t.failures = 0;
                t.successes++;
                if (before == State.PROBING || (before == State.DOWN && t.successes >= upAfter)) {
                    t.state = State.UP;
                }
            } else {
                t.successes = 0;
                t.failures++;
                if (before != State.DOWN && t.failures >= downAfter) {
                    t.state = State.DOWN;
                }
            }
            after = t.state;
        }
        if (after != before) {
            for (BiConsumer<UUID, State> listener : listeners) {
                listener.accept(uriId, after);
            }
        }
    }

    /** Forgets destinations that no longer exist; the others keep their state. */
    public void retain(Set<UUID> existing) {
        trackers.keySet().retainAll(existing);
    }

    /** Called with the destination and its new state on every transition. */
    public void onChange(BiConsumer<UUID, State> listener) {
        listeners.add(listener);
    }

    @Override
    public void onTransition(Consumer<UUID> listener) {
        listeners.add((uriId, state) -> listener.accept(uriId));
    }

    private static final class Tracker {
        volatile State state = State.PROBING;
        int successes;
        int failures;
    }
}
