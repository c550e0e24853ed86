package io.sipvane.core.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The enabled destinations of one priority and their weights, ready for picking.
 *
 * <p>Implementation note: weights are stored as cumulative sums in a {@code long[]}, so a
 * pick is one bounded random draw and a binary search for the first cumulative sum above it:
 * O(log n), no allocation, no lock, exact proportions for any weights (no fixed-size slot
 * table). A weight-0 member owns an empty interval and so is never found while any weight is
 * positive. When all weights are equal and positive the draw indexes the array directly.
 * Instances are immutable and shared by every call of a snapshot.
 */
public final class PriorityGroup {
    private final int priority;
    private final Destination[] members;
    private final long[] cumulative;
    private final long total;
    private final boolean equalWeights;

    PriorityGroup(int priority, List<Destination> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("priority " + priority + ": no destinations");
        }
        this.priority = priority;
        this.members = members.toArray(new Destination[0]);
        this.cumulative = new long[this.members.length];
        long sum = 0;
        boolean equal = true;
        for (int i = 0; i < this.members.length; i++) {
            int w = this.members[i].weight();
            sum += w;
            cumulative[i] = sum;
            equal &= w == this.members[0].weight();
        }
        this.total = sum;
        this.equalWeights = equal && sum > 0;
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
            return members[random.nextInt(members.length)];
        }
        if (total == 0) {
            return null;
        }
        return members[indexOf(random.nextLong(total))];
    }

    /** The member whose interval holds {@code point}, 0 <= point < totalWeight(). */
    int indexOf(long point) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > point) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
