package io.sipvane.core.routing;

import java.util.random.RandomGenerator;

/**
 * Exactly uniform bounded draws without a division on the common path.
 *
 * <p>Implementation note: Lemire's multiply-shift method ("Fast random integer generation
 * in an interval", 2019). A 32-bit random times the bound puts the result in the high word;
 * the low word decides rejection, and the rejection threshold (one modulo) is computed only
 * in the rare case the low word is below the bound. {@code RandomGenerator.nextLong(bound)}
 * pays a 64-bit modulo per draw, which costs more than the rest of a pick together.
 */
final class UniformDraw {
    private UniformDraw() {}

    /** Uniform in [0, bound), exactly; {@code bound} in 1..2^31-1. */
    static int below(RandomGenerator random, int bound) {
        return below(random.nextInt(), random, bound);
    }

    /**
     * Uniform in [0, bound), exactly, with {@code bits} (32 uniform random bits the caller
     * already drew) as the first attempt; a rejection draws again from {@code random}.
     */
    static int below(int bits, RandomGenerator random, int bound) {
        long product = (bits & 0xFFFF_FFFFL) * bound;
        long low = product & 0xFFFF_FFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                product = (random.nextInt() & 0xFFFF_FFFFL) * bound;
                low = product & 0xFFFF_FFFFL;
            }
        }
        return (int) (product >>> 32);
    }

    /** Uniform in [0, bound), exactly; {@code bound} >= 1. */
    static long below(RandomGenerator random, long bound) {
        return bound <= Integer.MAX_VALUE ? below(random, (int) bound) : random.nextLong(bound);
    }

    /** As {@link #below(int, RandomGenerator, int)}, for {@code bound} >= 1. */
    static long below(int bits, RandomGenerator random, long bound) {
        return bound <= Integer.MAX_VALUE ? below(bits, random, (int) bound) : random.nextLong(bound);
    }
}
