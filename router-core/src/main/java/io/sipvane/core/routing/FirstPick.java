package io.sipvane.core.routing;

import io.sipvane.core.health.HealthView;
import java.util.random.RandomGenerator;

/**
 * What the first attempt of a call draws from: the health-filtered best priority of one
 * trunk, prepared once per change of config or health, never per call.
 *
 * <p>Implementation note: the same rule as a {@link FailoverPlan} entering its first
 * priority, evaluated ahead of time. The best priority that has a destination up with a
 * weight above 0 is chosen, and an {@link AliasTable} is built over exactly those
 * destinations (down and drained ones are left out, so their share spreads over the others
 * by weight). When no priority has one, the table is the panic pick of the plan: the
 * weighted destinations of the first priority regardless of health, or, when all of them
 * weigh 0, its first destination. A pick is one alias-table draw: O(1), no allocation, no
 * health read; the table is immutable and shared by every call of its snapshot.
 */
final class FirstPick {
    /** Index of the priority group the table draws from, in the trunk's group array. */
    final int group;
    /** Whether nothing was up and weighted when the table was built (the plan's panic mode). */
    final boolean panic;
    private final AliasTable table;

    private FirstPick(int group, boolean panic, AliasTable table) {
        this.group = group;
        this.panic = panic;
        this.table = table;
    }

    /** The table for {@code groups} (best first) as {@code health} says now; null if there are none. */
    static FirstPick of(PriorityGroup[] groups, HealthView health) {
        if (groups.length == 0) {
            return null;
        }
        for (int g = 0; g < groups.length; g++) {
            PriorityGroup group = groups[g];
            int n = 0;
            Destination[] members = new Destination[group.size()];
            long[] weights = new long[group.size()];
            for (int i = 0; i < group.size(); i++) {
                Destination d = group.member(i);
                if (d.weight() > 0 && health.isUp(d.id())) {
                    members[n] = d;
                    weights[n++] = d.weight();
                }
            }
            if (n > 0) {
                return new FirstPick(g, false, table(members, weights, n));
            }
        }
        // nothing healthy anywhere: the plan's panic mode starts at the best priority
        PriorityGroup best = groups[0];
        if (best.totalWeight() == 0) {
            return new FirstPick(0, true, new AliasTable(new Destination[] {best.member(0)}, new long[] {1}));
        }
        int n = 0;
        Destination[] members = new Destination[best.size()];
        long[] weights = new long[best.size()];
        for (int i = 0; i < best.size(); i++) {
            Destination d = best.member(i);
            if (d.weight() > 0) {
                members[n] = d;
                weights[n++] = d.weight();
            }
        }
        return new FirstPick(0, true, table(members, weights, n));
    }

    private static AliasTable table(Destination[] members, long[] weights, int n) {
        if (n < members.length) {
            Destination[] m = new Destination[n];
            long[] w = new long[n];
            System.arraycopy(members, 0, m, 0, n);
            System.arraycopy(weights, 0, w, 0, n);
            return new AliasTable(m, w);
        }
        return new AliasTable(members, weights);
    }

    Destination pick(RandomGenerator random) {
        return table.pick(random);
    }

    AliasTable table() {
        return table;
    }

    /** The destinations this table can return. */
    int size() {
        return table.size();
    }

    Destination member(int index) {
        return table.member(index);
    }

    long totalWeight() {
        return table.totalWeight();
    }

    int indexOf(int column, long u) {
        return table.indexOf(column, u);
    }
}
