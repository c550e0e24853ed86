package io.sipvane.core.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The enabled destinations of one priority and their weights, as configured (health is not
 * part of it: see {@link FirstPick} for the health-filtered table a call draws from).
 *
 * <p>Implementation note: {@link #pick} draws from an {@link AliasTable} over every member,
 * built once per snapshot: O(1), exact, no allocation, no lock.
 */
public final class PriorityGroup {
    private final int priority;
    private final Destination[] members;
    private final long total;
    private final AliasTable table;

    PriorityGroup(int priority, List<Destination> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("priority " + priority + ": no destinations");
        }
        this.priority = priority;
        this.members = members.toArray(new Destination[0]);
        long[] weights = new long[this.members.length];
        long sum = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = this.members[i].weight();
            sum += weights[i];
        }
        this.total = sum;
        this.table = sum > 0 ? new AliasTable(this.members, weights) : null;
    }

    public int priority() {
        return priority;
    }

    public int size() {
        return members.length;
    }

    public Destination member(int index) {
        return members[index];
    }

    /** The sum of the weights; 0 when every member is drained. */
    public long totalWeight() {
        return total;
    }

    /**
     * One weighted pick, ignoring health: member {@code i} with probability
     * {@code weight(i) / totalWeight()}.
     *
     * @return the pick, or {@code null} when every member weighs 0
     */
    public Destination pick(RandomGenerator random) {
        return table == null ? null : table.pick(random);
    }

    /** The member chosen by column {@code column} and point {@code u}, 0 <= u < totalWeight(). */
    int indexOf(int column, long u) {
        return table.indexOf(column, u);
    }
}
