package io.sipvane.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.FailoverOverride;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The first pick of a call and the plan built after it fails, against the rules of a plan
 * from the start: exact shares by enumerating the alias table, scripted random draws, and
 * chi-square tests with fixed seeds (deterministic; the bound is the p = 0.001 critical
 * value, and a wrong distribution, such as one missing the without-replacement step, lands
 * orders of magnitude above it at these sample sizes).
 */
class FirstPickTest {
    private final SplittableRandom random = new SplittableRandom(14);

    @Test
    void firstPick_ownsExactlyItsWeight_allUp() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 1).uri(5072, 1, 2).uri(5073, 1, 7).uri(5081, 2, 50).routed();

        assertThat(exactShares(trunk)).isEqualTo(Map.of(5071, 1L, 5072, 2L, 5073, 7L));
    }

    @Test
    void firstPick_skipsDownUris_andSpreadsTheirShareByWeight() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5073, 1, 30).uri(5081, 2, 10);
        UUID down = f.uris().get(2).id();

        RoutedTrunk trunk = f.routed().withHealth(id -> !id.equals(down));

        // 10:20 of what is left, exactly: 5073's 30 is spread 1:2
        assertThat(exactShares(trunk)).isEqualTo(Map.of(5071, 10L, 5072, 20L));
        assertThat(trunk.firstPickInPanicMode()).isFalse();
    }

    @Test
    void firstPick_neverPicksDrained_whileOthersOfThePriorityWeigh() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 0).uri(5072, 1, 10).uri(5073, 1, 0).routed();

        assertThat(exactShares(trunk)).isEqualTo(Map.of(5072, 10L));
    }

    @Test
    void firstPick_bestPriorityAllDownOrDrained_drawsFromTheNext() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 0).uri(5081, 2, 0).uri(5091, 3, 1).uri(5092, 3, 3);
        UUID down = f.uris().get(0).id();

        RoutedTrunk trunk = f.routed().withHealth(id -> !id.equals(down));

        assertThat(exactShares(trunk)).isEqualTo(Map.of(5091, 1L, 5092, 3L));
        assertThat(trunk.firstPickTable().group).isEqualTo(2);
    }

    @Test
    void firstPick_everythingDown_panicsWithTheWeightedPickOfTheBestPriority() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 30).uri(5073, 1, 0).uri(5081, 2, 10)
                .routed().withHealth(id -> false);

        assertThat(trunk.firstPickInPanicMode()).isTrue();
        assertThat(exactShares(trunk)).isEqualTo(Map.of(5071, 10L, 5072, 30L));
    }

    @Test
    void firstPick_everythingDrained_panicsWithTheFirstUriInConfigOrder() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 0).uri(5072, 1, 0).uri(5081, 2, 0).routed();

        assertThat(trunk.firstPickInPanicMode()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(trunk.firstPick(random).port()).isEqualTo(5071);
        }
    }

    @Test
    void firstPick_emptyTrunk_isNull() {
        RoutedTrunk trunk = Fixtures.oneTrunk().routed();

        assertThat(trunk.firstPick(random)).isNull();
        assertThat(trunk.firstPickInPanicMode()).isFalse();
    }

    @Test
    void firstPick_scriptedDraws_pickExactlyTheScriptedColumnAndPoint() {
        // weights 1, 3: T = 4, n = 2; Vose: column 0 keeps 2 of 4 units for itself, aliases to 1
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 1).uri(5072, 1, 3).routed();
        // one 64-bit draw per pick: the high half picks the column, the low half the point
        Scripted draws = new Scripted(bits(draw(0, 2), draw(0, 4)), bits(draw(0, 2), draw(2, 4)), bits(draw(1, 2), draw(0, 4)));

        assertThat(trunk.firstPick(draws).port()).isEqualTo(5071); // column 0, u 0 < keep 2
        assertThat(trunk.firstPick(draws).port()).isEqualTo(5072); // column 0, u 2: the alias
        assertThat(trunk.firstPick(draws).port()).isEqualTo(5072); // column 1 is all its own
        assertThat(draws.left()).isZero();
    }

    @Test
    void firstPick_equalWeights_oneBoundedDrawPerPick() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 10).uri(5073, 1, 10).routed();
        Scripted draws = new Scripted(bits(draw(2, 3), 0), bits(draw(0, 3), 0));

        assertThat(trunk.firstPick(draws).port()).isEqualTo(5073);
        assertThat(trunk.firstPick(draws).port()).isEqualTo(5071);
    }

    @Test
    void firstPick_chiSquare_sharesMatchTheWeights_allUp_oneDown_andDrained() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 1).uri(5072, 1, 2).uri(5073, 1, 3).uri(5074, 1, 4)
                .uri(5075, 1, 0).uri(5076, 1, 10).uri(5081, 2, 10);
        UUID down = f.uris().get(5).id(); // 5076
        RoutedTrunk allUp = f.routed();
        RoutedTrunk oneDown = allUp.withHealth(id -> !id.equals(down));

        assertThat(chiSquare(allUp, Map.of(5071, 1, 5072, 2, 5073, 3, 5074, 4, 5076, 10), new SplittableRandom(1)))
                .isLessThan(CHI2_999[4]);
        assertThat(chiSquare(oneDown, Map.of(5071, 1, 5072, 2, 5073, 3, 5074, 4), new SplittableRandom(2)))
                .isLessThan(CHI2_999[3]);
    }

    @Test
    void firstPick_chiSquare_panicSharesMatchTheWeightsOfTheBestPriority() {
        RoutedTrunk panic = Fixtures.oneTrunk().uri(5071, 1, 5).uri(5072, 1, 15).uri(5073, 1, 0).uri(5081, 2, 10)
                .routed().withHealth(id -> false);

        assertThat(chiSquare(panic, Map.of(5071, 5, 5072, 15), new SplittableRandom(3))).isLessThan(CHI2_999[1]);
    }

    @Test
    void planAfter_neverRepeatsTheFirst_andWalksTheRestInPriorityOrder() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5073, 1, 5)
                .uri(5081, 2, 10).uri(5082, 2, 10).uri(5091, 3, 1).routed();

        for (int run = 0; run < 1000; run++) {
            List<Destination> walk = fullWalk(trunk, HealthView.ALL_UP);

            assertThat(walk).extracting(Destination::priority).containsExactly(1, 1, 1, 2, 2, 3);
            assertThat(walk).extracting(Destination::port).doesNotHaveDuplicates();
        }
    }

    @Test
    void planAfter_chiSquare_everyOrderHasThePlansProbability() {
        // weighted order without replacement: P(a, b, c) = wa/T * wb/(T - wa) * 1, then priority 2
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5073, 1, 70).uri(5081, 2, 1).routed();
        Map<Integer, Integer> weight = Map.of(5071, 10, 5072, 20, 5073, 70);
        Map<String, Double> expected = new LinkedHashMap<>();
        for (int a : weight.keySet()) {
            for (int b : weight.keySet()) {
                if (a != b) {
                    int c = 5071 + 5072 + 5073 - a - b;
                    expected.put(a + "," + b + "," + c + ",5081",
                            weight.get(a) / 100.0 * weight.get(b) / (100.0 - weight.get(a)));
                }
            }
        }
        int runs = 1_000_000;
        SplittableRandom seeded = new SplittableRandom(5);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < runs; i++) {
            Destination first = trunk.firstPick(seeded);
            List<Destination> walk = new ArrayList<>(List.of(first));
            walk.addAll(FailoverPlanTest.walk(trunk.planAfter(first, seeded, HealthView.ALL_UP)));
            seen.merge(walk.stream().map(d -> String.valueOf(d.port())).collect(Collectors.joining(",")), 1, Integer::sum);
        }

        assertThat(seen.keySet()).isEqualTo(expected.keySet());
        double chi2 = 0;
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            double exp = e.getValue() * runs;
            double d = seen.get(e.getKey()) - exp;
            chi2 += d * d / exp;
        }
        assertThat(chi2).isLessThan(CHI2_999[5]);
    }

    @Test
    void planAfter_skipsUrisDownNow_andNeverEntersPanicAfterAHealthyFirstPick() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5081, 2, 10);
        RoutedTrunk trunk = f.routed();
        Destination first = trunk.firstPickTable().member(0); // 5071
        Set<UUID> downNow = Set.of(f.uris().get(1).id(), f.uris().get(2).id());

        FailoverPlan plan = trunk.planAfter(first, random, id -> !downNow.contains(id));

        assertThat(plan.next()).isNull();
        assertThat(plan.inPanicMode()).isFalse();
    }

    @Test
    void planAfter_firstFromTheSecondPriority_continuesThere() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5081, 2, 10).uri(5082, 2, 10).uri(5091, 3, 10);
        UUID down = f.uris().get(0).id();
        HealthView health = id -> !id.equals(down);
        RoutedTrunk trunk = f.routed().withHealth(health);

        Destination first = trunk.firstPick(random);
        List<Destination> rest = FailoverPlanTest.walk(trunk.planAfter(first, random, health));

        assertThat(first.priority()).isEqualTo(2);
        assertThat(rest).extracting(Destination::priority).containsExactly(2, 3);
        assertThat(rest).doesNotContain(first);
    }

    @Test
    void planAfter_panicFirstPick_continuesInPanic_drainedLast() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5073, 1, 0).uri(5081, 2, 10)
                .routed().withHealth(id -> false);

        for (int run = 0; run < 200; run++) {
            Destination first = trunk.firstPick(random);
            FailoverPlan plan = trunk.planAfter(first, random, id -> false);
            List<Destination> rest = FailoverPlanTest.walk(plan);

            assertThat(plan.inPanicMode()).isTrue();
            assertThat(first.port()).isIn(5071, 5072);
            assertThat(rest).extracting(Destination::port).hasSize(3).doesNotContain(first.port());
            assertThat(rest.get(1).port()).isEqualTo(5073); // drained last within priority 1
            assertThat(rest.get(2).port()).isEqualTo(5081);
        }
    }

    @Test
    void planAfter_everythingDrained_panicWalkIsConfigOrder() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 0).uri(5072, 1, 0).uri(5081, 2, 0).routed();

        Destination first = trunk.firstPick(random);

        assertThat(FailoverPlanTest.walk(trunk.planAfter(first, random, HealthView.ALL_UP)))
                .extracting(Destination::port).containsExactly(5072, 5081);
    }

    @Test
    void planAfter_countsTheFirstTowardsMaxAttempts() {
        Trunk limited = new Trunk(Fixtures.TRUNK, Fixtures.ACCOUNT, "limited", null, new TrunkMatch(List.of(), List.of(), true),
                new FailoverOverride(null, null, 3), null, null, null, null);
        Fixtures f = new Fixtures().trunk(limited);
        for (int i = 0; i < 10; i++) {
            f.uri(5070 + i, 1 + i % 2, 10);
        }
        RoutedTrunk trunk = f.routed();
        Destination first = trunk.firstPick(random);

        FailoverPlan plan = trunk.planAfter(first, random, HealthView.ALL_UP);

        assertThat(FailoverPlanTest.walk(plan)).hasSize(2);
        assertThat(plan.attempts()).isEqualTo(3);
    }

    @Test
    void planAfter_refusesADestinationThatIsNotTheFirstPick() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5081, 2, 10).routed();
        // ids are numbered per fixture: the third URI's id is not one of trunk's
        RoutedTrunk other = Fixtures.oneTrunk().uri(5091, 1, 0).uri(5092, 1, 0).uri(5093, 1, 10).routed();

        assertThatThrownBy(() -> trunk.planAfter(other.firstPick(random), random, HealthView.ALL_UP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("first: ");
    }

    /** Each port's share of the table in units: every (column, point) pair a pick can draw, counted once. */
    static Map<Integer, Long> exactShares(RoutedTrunk trunk) {
        FirstPick table = trunk.firstPickTable();
        long total = table.totalWeight();
        Map<Integer, Long> owned = new HashMap<>();
        for (int column = 0; column < table.size(); column++) {
            for (long u = 0; u < total; u++) {
                owned.merge(table.member(table.indexOf(column, u)).port(), 1L, Long::sum);
            }
        }
        // n columns of T units each: divide by n to get back the weights
        owned.replaceAll((port, units) -> units / table.size());
        return owned;
    }

    /** Pearson's statistic of 200,000 first picks against shares proportional to {@code weights}. */
    private static double chiSquare(RoutedTrunk trunk, Map<Integer, Integer> weights, RandomGenerator random) {
        int runs = 200_000;
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < runs; i++) {
            counts.merge(trunk.firstPick(random).port(), 1, Integer::sum);
        }
        assertThat(counts.keySet()).isEqualTo(weights.keySet());
        double total = weights.values().stream().mapToInt(Integer::intValue).sum();
        double chi2 = 0;
        for (Map.Entry<Integer, Integer> e : weights.entrySet()) {
            double expected = runs * e.getValue() / total;
            double d = counts.get(e.getKey()) - expected;
            chi2 += d * d / expected;
        }
        return chi2;
    }

    /** Chi-square critical values at p = 0.001 by degrees of freedom. */
    private static final double[] CHI2_999 = {0, 10.83, 13.82, 16.27, 18.47, 20.52};

    private static List<Destination> fullWalk(RoutedTrunk trunk, HealthView health) {
        Destination first = trunk.firstPick(new SplittableRandom());
        List<Destination> walk = new ArrayList<>(List.of(first));
        walk.addAll(FailoverPlanTest.walk(trunk.planAfter(first, new SplittableRandom(), health)));
        return walk;
    }

    private static long bits(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFF_FFFFL);
    }

    /** The 32-bit value Lemire's method maps to {@code k} in [0, bound) without rejection. */
    private static int draw(int k, int bound) {
        return (int) ((((long) k << 32) + (1L << 32) - 1) / bound);
    }

    /**
     * A generator that returns scripted 64-bit values and fails when asked for more; a
     * 32-bit draw is the high half of the next value (the {@code RandomGenerator} default).
     */
    private static final class Scripted implements RandomGenerator {
        private final Deque<Long> values = new ArrayDeque<>();

        Scripted(long... values) {
            for (long v : values) {
                this.values.add(v);
            }
        }

        @Override
        public long nextLong() {
            Long v = values.poll();
            if (v == null) {
                throw new IllegalStateException("no more scripted draws");
            }
            return v;
        }

        int left() {
            return values.size();
        }
    }
}
