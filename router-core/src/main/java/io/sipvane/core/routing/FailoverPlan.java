package io.sipvane.core.routing;

import io.sipvane.core.health.HealthView;
import java.util.random.RandomGenerator;

/**
 * The order in which one call tries a trunk's destinations.
 *
 * <p>Priorities ascending; inside a priority a weighted random order without replacement
 * (the first pick has exactly the weighted distribution; a tried destination is never tried
 * again). Destinations the health view marks down, and drained (weight 0) ones, are skipped.
 * If that leaves nothing at all, the plan enters panic mode and tries every enabled
 * destination regardless of health, priorities ascending, weighted first and drained last,
 * so a broken health check cannot black-hole a trunk. At most {@code maxAttempts}
 * destinations are returned.
 *
 * <p>A call does not build one to start: its first destination comes from
 * {@link RoutedTrunk#firstPick}, and {@link RoutedTrunk#planAfter} builds the plan only when
 * that attempt fails, positioned as if its own first draw had returned that destination.
 * The walk (and so the probability of every order) is the same as a plan's from the start.
 *
 * <p>Implementation note: work is lazy. A priority's candidates are prepared (health read
 * once per member into a scratch weight array) only when the walk reaches it. Each draw is a
 * linear scan over that priority's remaining weight, O(n) for n members, which beats any
 * index structure at the sizes trunks have and runs only after a failed attempt. One plan
 * belongs to one call and is not thread-safe; the plan and its scratch arrays are its only
 * allocation.
 */
public final class FailoverPlan {
    private final PriorityGroup[] groups;
    private final RandomGenerator random;
    private final HealthView health;
    private final int maxAttempts;
    private final long[] weights;
    private final boolean[] tried;

    private int group = -1;
    private long remaining;
    private int attempts;
    private boolean panic;

    FailoverPlan(PriorityGroup[] groups, int largestGroup, RandomGenerator random, HealthView health, int maxAttempts) {
        this.groups = groups;
        this.random = random;
        this.health = health;
        this.maxAttempts = maxAttempts;
        this.weights = new long[largestGroup];
        this.tried = new boolean[largestGroup];
    }

    /** The next destination to try, or {@code null} when the plan is spent. */
    public Destination next() {
        if (attempts >= maxAttempts || groups.length == 0) {
            return null;
        }
        while (true) {
            if (group < 0 || (remaining == 0 && !hasUntriedDrained())) {
                if (!enterNextGroup()) {
                    return null;
                }
                continue;
            }
            int index = remaining > 0 ? draw() : firstUntried();
            tried[index] = true;
            attempts++;
            return groups[group].member(index);
        }
    }

    /** How many destinations this plan has handed out. */
    public int attempts() {
        return attempts;
    }

    /** Whether the plan is trying destinations that health checks mark down. */
    public boolean inPanicMode() {
        return panic;
    }

    /**
     * Puts this new plan where a plan from the start would be after its first draw returned
     * {@code first} from group {@code groupIndex}, in panic mode or not: the rest of that
     * priority (health read now), then the next priorities.
     */
    FailoverPlan resumeAfter(int groupIndex, boolean panicMode, Destination first) {
        group = groupIndex;
        panic = panicMode;
        prepareGroup();
        PriorityGroup g = groups[group];
        int index = -1;
        for (int i = 0; i < g.size(); i++) {
            if (g.member(i) == first || g.member(i).id().equals(first.id())) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("first: " + first + " (expected: the first pick of this trunk)");
        }
        // weights[index] is 0 already when health or draining excluded it since the pick
        remaining -= weights[index];
        weights[index] = 0;
        tried[index] = true;
        attempts = 1;
        return this;
    }

    private boolean enterNextGroup() {
        group++;
        if (group >= groups.length) {
            if (panic || attempts > 0) {
                return false;
            }
            // nothing healthy anywhere: try everything rather than reject the call
            panic = true;
            group = 0;
        }
        prepareGroup();
        return true;
    }

    private void prepareGroup() {
        PriorityGroup g = groups[group];
        long sum = 0;
        for (int i = 0; i < g.size(); i++) {
            Destination d = g.member(i);
            tried[i] = !panic && !health.isUp(d.id());
            long w = tried[i] ? 0 : d.weight();
            weights[i] = w;
            sum += w;
            if (!panic && w == 0) {
                tried[i] = true; // drained: only panic mode tries it
            }
        }
        remaining = sum;
    }

    private int draw() {
        long point = UniformDraw.below(random, remaining);
        PriorityGroup g = groups[group];
        int last = -1;
        for (int i = 0; i < g.size(); i++) {
            long w = weights[i];
            if (w == 0) {
                continue;
            }
            last = i;
            if (point < w) {
                break;
            }
            point -= w;
        }
        remaining -= weights[last];
        weights[last] = 0;
        return last;
    }

    private boolean hasUntriedDrained() {
        return panic && firstUntried() >= 0;
    }

    private int firstUntried() {
        PriorityGroup g = groups[group];
        for (int i = 0; i < g.size(); i++) {
            if (!tried[i]) {
                return i;
            }
        }
        return -1;
    }
}
