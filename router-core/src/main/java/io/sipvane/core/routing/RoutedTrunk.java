package io.sipvane.core.routing;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.FailoverPolicy;
import io.sipvane.core.model.Trunk;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A trunk prepared for routing: its enabled destinations grouped by priority (ascending) and
 * its effective failover policy. Immutable; part of one {@link RoutingSnapshot}.
 */
public final class RoutedTrunk {
    private final Trunk trunk;
    private final FailoverPolicy policy;
    private final PriorityGroup[] groups;
    private final int largestGroup;
    private final List<Destination> destinations;

    RoutedTrunk(Trunk trunk, FailoverPolicy policy, List<PriorityGroup> groups) {
        this.trunk = trunk;
        this.policy = policy;
        this.groups = groups.toArray(new PriorityGroup[0]);
        int largest = 0;
        List<Destination> all = new ArrayList<>();
        for (PriorityGroup g : groups) {
            largest = Math.max(largest, g.size());
            for (int i = 0; i < g.size(); i++) {
                all.add(g.member(i));
            }
        }
        this.largestGroup = largest;
        this.destinations = List.copyOf(all);
    }

    public Trunk trunk() {
        return trunk;
    }

    public FailoverPolicy policy() {
        return policy;
    }

    /** The priority groups, best (lowest number) first. */
    public List<PriorityGroup> groups() {
        return List.of(groups);
    }

    /** Every enabled destination, in priority order. */
    public List<Destination> destinations() {
        return destinations;
    }

    /** Whether the trunk has no enabled destination at all (calls get 503). */
    public boolean isEmpty() {
        return groups.length == 0;
    }

    /** One weighted pick from the best priority, ignoring health. {@code null} if none. */
    public Destination pick(RandomGenerator random) {
        return groups.length == 0 ? null : groups[0].pick(random);
    }

    /** A new per-call plan bounded by this trunk's {@code max_attempts}. */
    public FailoverPlan plan(RandomGenerator random, HealthView health) {
        return new FailoverPlan(groups, largestGroup, random, health, policy.maxAttempts());
    }

    @Override
    public String toString() {
        return "RoutedTrunk[" + trunk.id() + " " + trunk.name() + ", " + destinations.size() + " destinations]";
    }
}
