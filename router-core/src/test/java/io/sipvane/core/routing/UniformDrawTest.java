package io.sipvane.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class UniformDrawTest {

    @Test
    void below_staysInRange_andIsUniform() {
        SplittableRandom random = new SplittableRandom(99);
        int bound = 7;
        int[] counts = new int[bound];
        int draws = 700_000;
        for (int i = 0; i < draws; i++) {
            counts[UniformDraw.below(random, bound)]++;
        }
        for (int count : counts) {
            assertThat(100.0 * count / draws).isCloseTo(100.0 / bound, within(0.3));
        }
    }

    @Test
    void below_rejectsTheBiasedLowWords() {
        // bound 3: 2^32 mod 3 = 1, so the one 32-bit value whose low word is 0 must be redrawn
        int[] sequence = {0, -1};
        RandomGenerator scripted = new RandomGenerator() {
            int next;

            @Override
            public int nextInt() {
                return sequence[next++];
            }

            @Override
            public long nextLong() {
                throw new AssertionError();
            }
        };

        assertThat(UniformDraw.below(scripted, 3)).isEqualTo(2);
    }

    @Test
    void belowWithBits_usesTheGivenBitsFirst_andRedrawsFromTheGeneratorOnRejection() {
        RandomGenerator redraw = new RandomGenerator() {
            @Override
            public int nextInt() {
                return -1;
            }

            @Override
            public long nextLong() {
                throw new AssertionError("a bounded draw takes 32 bits");
            }
        };
        RandomGenerator never = () -> {
            throw new AssertionError("no redraw expected");
        };

        assertThat(UniformDraw.below(-1, never, 3)).isEqualTo(2);
        assertThat(UniformDraw.below(0x5555_5556, never, 3)).isEqualTo(1);
        assertThat(UniformDraw.below(0, redraw, 3)).isEqualTo(2); // low word 0 < 2^32 mod 3: rejected
        assertThat(UniformDraw.below(0, redraw, 3L)).isEqualTo(2L);
    }

    @Test
    void below_longBoundsBeyondIntUseTheGenerator() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(UniformDraw.below(random, 1L << 40)).isBetween(0L, (1L << 40) - 1);
            assertThat(UniformDraw.below(random, 1L)).isZero();
            assertThat(UniformDraw.below(random, (long) Integer.MAX_VALUE)).isBetween(0L, (long) Integer.MAX_VALUE - 1);
        }
    }
}
