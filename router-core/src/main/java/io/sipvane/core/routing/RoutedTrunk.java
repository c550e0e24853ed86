package io.sipvane.core.routing;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.FailoverPolicy;
import io.sipvane.core.model.Trunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A trunk prepared for routing: its enabled destinations grouped by priority (ascending), its
 * effective failover policy, and the table its calls' first attempts draw from. Immutable;
 * part of one {@link RoutingSnapshot}.
 *
 * <p>Implementation note: a call runs {@link #firstPick} (one alias-table draw over the
 * health-filtered best priority: O(1), no allocation, no lock, no health read) and, only
 * when that attempt fails, {@link #planAfter}. The first-pick table reflects the health view
 * as of the snapshot's build: a health transition makes the {@link RoutingTable} publish a
 * snapshot with the affected trunks' tables rebuilt ({@link #withHealth}), sharing
 * everything else.
 */
public final class RoutedTrunk {
    private final Trunk trunk;
    private final FailoverPolicy policy;
    private final PriorityGroup[] groups;
    private final int largestGroup;
    private final List<Destination> destinations;
    /** Null when the trunk has no enabled destination. */
    private final FirstPick first;
    /** {@code first}'s table, one pointer hop closer to the call path. */
    private final AliasTable firstTable;

    RoutedTrunk(Trunk trunk, FailoverPolicy policy, List<PriorityGroup> groups, HealthView health) {
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
        this.first = FirstPick.of(this.groups, health);
        this.firstTable = first == null ? null : first.table();
    }

    private RoutedTrunk(RoutedTrunk base, FirstPick first) {
        this.trunk = base.trunk;
        this.policy = base.policy;
        this.groups = base.groups;
        this.largestGroup = base.largestGroup;
        this.destinations = base.destinations;
        this.first = first;
        this.firstTable = first == null ? null : first.table();
    }

    /** This trunk with its first-pick table rebuilt from what {@code health} says now. */
    RoutedTrunk withHealth(HealthView health) {
        return new RoutedTrunk(this, FirstPick.of(groups, health));
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

    /**
     * The destination of a call's first attempt, drawn with exactly the distribution of a
     * {@link FailoverPlan}'s first pick: among the destinations of the best priority that are
     * up and weigh more than 0, by weight; the next priority when none of the best is; the
     * plan's panic pick when none at all is. Health is as of this snapshot (see the class
     * note). O(1) in the number of destinations, no allocation.
     *
     * @return the destination, or {@code null} when the trunk is empty
     */
    public Destination firstPick(RandomGenerator random) {
        AliasTable table = firstTable;
        return table == null ? null : table.pick(random);
    }

    /** Whether {@link #firstPick} draws in panic mode (nothing up and weighted when built). */
    public boolean firstPickInPanicMode() {
        return first != null && first.panic;
    }

    /**
     * The rest of a call's walk after its first attempt at {@code first} failed: the same
     * order, with the same probabilities, that a plan built before the first attempt would
     * have continued with after returning {@code first} (the rest of that priority by weight
     * without replacement, then the next priorities; in panic mode when the first pick was).
     * Health is read from {@code health} as the walk reaches each priority. Bounded by
     * {@code max_attempts}, counting the first attempt.
     *
     * @param first what {@link #firstPick} returned for this call, on this trunk of the
     *              same snapshot
     */
    public FailoverPlan planAfter(Destination first, RandomGenerator random, HealthView health) {
        Objects.requireNonNull(first, "first");
        FirstPick f = this.first;
        if (f == null) {
            throw new IllegalStateException("trunk " + trunk.id() + " has no destinations");
        }
        return new FailoverPlan(groups, largestGroup, random, health, policy.maxAttempts())
                .resumeAfter(f.group, f.panic, first);
    }

    /**
     * A whole walk from the start, bounded by this trunk's {@code max_attempts}. Calls do not
     * use it (they take {@link #firstPick} and build {@link #planAfter} only when the first
     * attempt fails); it stays as the reference the two are tested against (the probability of
     * every order must be the same) and as the benchmark's baseline of the old call path.
     */
    public FailoverPlan plan(RandomGenerator random, HealthView health) {
        return new FailoverPlan(groups, largestGroup, random, health, policy.maxAttempts());
    }

    FirstPick firstPickTable() {
        return first;
    }

    @Override
    public String toString() {
        return "RoutedTrunk[" + trunk.id() + " " + trunk.name() + ", " + destinations.size() + " destinations]";
    }
}
