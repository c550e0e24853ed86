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
 * <p>Implementation note: work is lazy. A priority's candidates are prepared (health read
 * once per member into a scratch weight array) only when the walk reaches it, so a call
 * answered by its first pick reads the health of one priority only. Each draw is a linear
 * scan over that priority's remaining weight, O(n) for n members, which beats any index
 * structure at the sizes trunks have. One plan belongs to one call and is not thread-safe;
 * the scratch arrays are its only allocation.
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
        return true;
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
