package io.sipvane.core.routing;

import java.util.random.RandomGenerator;

/**
 * A weighted pick over a fixed set of destinations, exact and O(1).
 *
 * <p>Implementation note: an alias table (Walker/Vose) built with integer arithmetic, so a
 * pick is O(1) for any number of members and exact for any weights (no fixed-size slot
 * table, no floating-point rounding). Column {@code c} is drawn uniformly, then a uniform
 * {@code u} in [0, T) (T = the sum of weights) keeps the column's own member when
 * {@code u < keep[c]} and takes {@code alias[c]} otherwise. With weights scaled by n, every
 * column holds exactly T units, so member i is picked with probability exactly
 * {@code w_i / T}. A weight-0 member keeps no units and is never picked. Equal weights skip
 * the table and index the array directly. One 64-bit random draw feeds both bounded draws
 * (its high half the column, its low half the point: independent bits, so the pair is still
 * exactly uniform; see {@link UniformDraw}: no division on the common path), which halves
 * the calls into the generator; then two array reads, no allocation, no lock. Instances are
 * immutable and shared by every call of a snapshot.
 */
final class AliasTable {
    private final Destination[] members;
    private final long total;
    private final boolean equalWeights;
    private final long[] keep;
    private final int[] alias;

    /**
     * @param members the destinations, not copied (callers hand over a private array)
     * @param weights their weights, each >= 0, the sum > 0; only read here
     */
    AliasTable(Destination[] members, long[] weights) {
        int n = members.length;
        long sum = 0;
        boolean equal = true;
        for (int i = 0; i < n; i++) {
            if (weights[i] < 0) {
                throw new IllegalArgumentException("weight: " + weights[i] + " (expected: >= 0)");
            }
            sum += weights[i];
            equal &= weights[i] == weights[0];
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("sum of weights: " + sum + " (expected: > 0)");
        }
        this.members = members;
        this.total = sum;
        this.equalWeights = equal;
        this.keep = new long[n];
        this.alias = new int[n];
        if (!equal) {
            build(weights);
        }
    }

    /** Vose's method on integers: scaled weights w_i * n against a column size of T. */
    private void build(long[] weights) {
        int n = members.length;
        long[] scaled = new long[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smalls = 0;
        int larges = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n;
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

    int size() {
        return members.length;
    }

    Destination member(int index) {
        return members[index];
    }

    long totalWeight() {
        return total;
    }

    /** Member {@code i} with probability {@code weight(i) / totalWeight()}. */
    Destination pick(RandomGenerator random) {
        if (equalWeights) {
            return members[UniformDraw.below(random, members.length)];
        }
        long bits = random.nextLong();
        int column = UniformDraw.below((int) (bits >>> 32), random, members.length);
        return members[indexOf(column, UniformDraw.below((int) bits, random, total))];
    }

    /** The member chosen by column {@code column} and point {@code u}, 0 <= u < totalWeight(). */
    int indexOf(int column, long u) {
        if (equalWeights) {
            return column;
        }
        // branch-free select: the comparison is a coin flip for skewed weights, and a
        // mispredicted branch would cost more than the rest of the pick
        int keepMask = (int) ((u - keep[column]) >> 63); // -1 when u < keep[column], else 0
        return (column & keepMask) | (alias[column] & ~keepMask);
    }
}
