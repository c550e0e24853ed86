package io.sipvane.core.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The enabled destinations of one priority and their weights, ready for picking.
 *
 * <p>Implementation note: an alias table (Walker/Vose) built with integer arithmetic, so a
 * pick is O(1) for any number of members and exact for any weights (no fixed-size slot
 * table, no floating-point rounding). Column {@code c} is drawn uniformly, then a uniform
 * {@code u} in [0, T) (T = the sum of weights) keeps the column's own member when
 * {@code u < keep[c]} and takes {@code alias[c]} otherwise. With weights scaled by n, every
 * column holds exactly T units, so member i is picked with probability exactly
 * {@code w_i / T}. A weight-0 member keeps no units and is never picked while any weight is
 * positive. Equal positive weights skip the table and index the array directly. Two
 * bounded random draws (see {@link UniformDraw}: no division on the common path), two array reads, no allocation, no lock; instances are immutable
 * and shared by every call of a snapshot.
 */
public final class PriorityGroup {
    private final int priority;
    private final Destination[] members;
    private final long total;
    private final boolean equalWeights;
    private final long[] keep;
    private final int[] alias;

    PriorityGroup(int priority, List<Destination> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("priority " + priority + ": no destinations");
        }
        this.priority = priority;
        this.members = members.toArray(new Destination[0]);
        int n = this.members.length;
        long sum = 0;
        boolean equal = true;
        for (Destination d : this.members) {
            sum += d.weight();
            equal &= d.weight() == this.members[0].weight();
        }
        this.total = sum;
        this.equalWeights = equal && sum > 0;
        this.keep = new long[n];
        this.alias = new int[n];
        if (sum > 0) {
            buildAliasTable();
        }
    }

    /** Vose's method on integers: scaled weights w_i * n against a column size of T. */
    private void buildAliasTable() {
        int n = members.length;
        long[] scaled = new long[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smalls = 0;
        int larges = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = (long) members[i].weight() * n;
            if (scaled[i] < total) {
                small[smalls++] = i;
            } else {
                large[larges++] = i;
            }
        }
        while (smalls > 0 && larges > 0) {
            int s = small[--smalls];
            int l = large[--larges];
            keep[s] = scaled[s];
            alias[s] = l;
            scaled[l] -= total - scaled[s];
            if (scaled[l] < total) {
                small[smalls++] = l;
            } else {
                large[larges++] = l;
            }
        }
        // what is left holds exactly T units (integer arithmetic leaves no rounding residue)
        while (larges > 0) {
            int l = large[--larges];
            keep[l] = total;
            alias[l] = l;
        }
        while (smalls > 0) {
            int s = small[--smalls];
            keep[s] = total;
            alias[s] = s;
        }
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
     * One weighted pick: member {@code i} with probability {@code weight(i) / totalWeight()}.
     *
     * @return the pick, or {@code null} when every member weighs 0
     */
    public Destination pick(RandomGenerator random) {
        if (equalWeights) {
            return members[UniformDraw.below(random, members.length)];
        }
        if (total == 0) {
            return null;
        }
        return members[indexOf(UniformDraw.below(random, members.length), UniformDraw.below(random, total))];
    }

    /** The member chosen by column {@code column} and point {@code u}, 0 <= u < totalWeight(). */
    int indexOf(int column, long u) {
        // branch-free select: the comparison is a coin flip for skewed weights, and a
        // mispredicted branch would cost more than the rest of the pick
        int keepMask = (int) ((u - keep[column]) >> 63); // -1 when u < keep[column], else 0
        return (column & keepMask) | (alias[column] & ~keepMask);
    }
}
