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
    void pick_largeWeightsDoNotOverflow() {
        Fixtures f = Fixtures.oneTrunk();
        for (int i = 0; i < 100; i++) {
            f.uri(6000 + i, 1, 65535);
        }
        f.uri(5999, 1, 1);
        PriorityGroup group = f.routed().groups().get(0);

        assertThat(group.totalWeight()).isEqualTo(100L * 65535 + 1);
        assertThat(group.member(group.indexOf(group.totalWeight() - 1)).port()).isEqualTo(5999);
        assertThat(group.member(group.indexOf(0)).port()).isEqualTo(6000);
    }

    @Test
    void indexOf_mapsEveryPointToItsInterval() {
        PriorityGroup group = Fixtures.oneTrunk().uri(5071, 1, 2).uri(5072, 1, 0).uri(5073, 1, 3).routed().groups().get(0);

        int[] expected = {0, 0, 2, 2, 2};
        for (int point = 0; point < expected.length; point++) {
            assertThat(group.indexOf(point)).as("point %d", point).isEqualTo(expected[point]);
        }
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
