package io.sipvane.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PriorityGroupTest {
    private static final int DRAWS = 1_000_000;

    @Test
    void pick_tenAndTwentySplitOneToTwo() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).routed();

        Map<Integer, Double> share = shares(trunk.groups().get(0), new SplittableRandom(42));

        assertThat(share.get(5071)).isCloseTo(100.0 / 3, within(0.5));
        assertThat(share.get(5072)).isCloseTo(200.0 / 3, within(0.5));
    }

    @Test
    void pick_oneOneNinetyEightIsExact() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 1).uri(5072, 1, 1).uri(5073, 1, 98).routed();

        Map<Integer, Double> share = shares(trunk.groups().get(0), new SplittableRandom(7));

        assertThat(share.get(5071)).isCloseTo(1.0, within(0.5));
        assertThat(share.get(5072)).isCloseTo(1.0, within(0.5));
        assertThat(share.get(5073)).isCloseTo(98.0, within(0.5));
    }

    @Test
    void pick_neverPicksWeightZero() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5070, 1, 0).uri(5071, 1, 1).uri(5072, 1, 0).uri(5073, 1, 3)
                .uri(5074, 1, 0).routed();

        Map<Integer, Double> share = shares(trunk.groups().get(0), new SplittableRandom(1));

        assertThat(share).containsOnlyKeys(5071, 5073);
        assertThat(share.get(5073)).isCloseTo(75.0, within(0.5));
    }

    @Test
    void pick_equalWeightsAreUniform() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 5).uri(5072, 1, 5).uri(5073, 1, 5).uri(5074, 1, 5).routed();

        Map<Integer, Double> share = shares(trunk.groups().get(0), new SplittableRandom(3));

        assertThat(share.values()).allSatisfy(s -> assertThat(s).isCloseTo(25.0, within(0.5)));
    }

    @Test
    void pick_allDrainedPicksNothing() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 0).uri(5072, 1, 0).routed();

        assertThat(trunk.groups().get(0).pick(new SplittableRandom(1))).isNull();
        assertThat(trunk.groups().get(0).totalWeight()).isZero();
    }

    @Test
    void aliasTable_isExact_everyMemberOwnsExactlyItsWeight() {
        Fixtures f = Fixtures.oneTrunk();
        int[] weights = {7, 0, 65535, 1, 13, 0, 250, 1, 1, 9999, 3};
        for (int i = 0; i < weights.length; i++) {
            f.uri(6000 + i, 1, weights[i]);
        }
        PriorityGroup group = f.routed().groups().get(0);
        long total = group.totalWeight();
        long[] owned = new long[weights.length];

        // enumerate every (column, point) pair a pick can draw: each member must own exactly
        // weight * n of them, which is probability weight / total
        for (int column = 0; column < group.size(); column++) {
            for (long u = 0; u < total; u++) {
                owned[group.indexOf(column, u)]++;
            }
        }

        for (int i = 0; i < weights.length; i++) {
            assertThat(owned[i]).as("member %d", i).isEqualTo((long) weights[i] * weights.length);
        }
    }

    @Test
    void pick_largeWeightsDoNotOverflow() {
        Fixtures f = Fixtures.oneTrunk();
        for (int i = 0; i < 100; i++) {
            f.uri(6000 + i, 1, 65535);
        }
        f.uri(5999, 1, 1);
        PriorityGroup group = f.routed().groups().get(0);

        assertThat(group.totalWeight()).isEqualTo(100L * 65535 + 1);
        Map<Integer, Double> share = shares(group, new SplittableRandom(5));
        assertThat(share.getOrDefault(5999, 0.0)).isLessThan(0.01);
        assertThat(share).hasSize(101 - (share.containsKey(5999) ? 0 : 1));
    }

    private static Map<Integer, Double> shares(PriorityGroup group, RandomGenerator random) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            counts.merge(group.pick(random).port(), 1, Integer::sum);
        }
        Map<Integer, Double> share = new HashMap<>();
        counts.forEach((port, n) -> share.put(port, 100.0 * n / DRAWS));
        return share;
    }
}
