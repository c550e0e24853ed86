package io.sipvane.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.FailoverOverride;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@SuppressWarnings("removal") // plan() from the start is the reference the split walk is compared with
class FailoverPlanTest {
    private final SplittableRandom random = new SplittableRandom(11);

    @Test
    void plan_triesEveryPriorityOneUriBeforeAnyPriorityTwo_eachOnce() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5073, 1, 5)
                .uri(5081, 2, 10).uri(5082, 2, 10).uri(5091, 3, 1).routed();

        for (int run = 0; run < 1000; run++) {
            List<Destination> walk = walk(trunk.plan(random, HealthView.ALL_UP));

            assertThat(walk).extracting(Destination::priority).containsExactly(1, 1, 1, 2, 2, 3);
            assertThat(walk).extracting(Destination::port).doesNotHaveDuplicates().hasSize(6);
        }
    }

    @Test
    void plan_firstPickHasTheWeightedDistribution_andSecondTheRemainder() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5073, 1, 70).routed();
        Map<Integer, Integer> first = new HashMap<>();
        Map<Integer, Integer> secondAfter5073 = new HashMap<>();
        int runs = 200_000;

        for (int i = 0; i < runs; i++) {
            FailoverPlan plan = trunk.plan(random, HealthView.ALL_UP);
            Destination a = plan.next();
            first.merge(a.port(), 1, Integer::sum);
            Destination b = plan.next();
            if (a.port() == 5073) {
                secondAfter5073.merge(b.port(), 1, Integer::sum);
            }
        }

        assertThat(100.0 * first.get(5071) / runs).isCloseTo(10.0, within(0.5));
        assertThat(100.0 * first.get(5073) / runs).isCloseTo(70.0, within(0.5));
        int total = secondAfter5073.values().stream().mapToInt(Integer::intValue).sum();
        // without replacement: 10 and 20 remain, so 1:2
        assertThat(100.0 * secondAfter5073.get(5072) / total).isCloseTo(200.0 / 3, within(0.5));
    }

    @Test
    void plan_skipsDownUris_andSpreadsTheirShareByWeight() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5073, 1, 30).uri(5081, 2, 10);
        RoutedTrunk trunk = f.routed();
        UUID down = f.uris().get(2).id();
        HealthView health = id -> !id.equals(down);
        Map<Integer, Integer> first = new HashMap<>();
        int runs = 200_000;

        for (int i = 0; i < runs; i++) {
            FailoverPlan plan = trunk.plan(random, health);
            first.merge(plan.next().port(), 1, Integer::sum);
        }

        assertThat(first).doesNotContainKey(5073);
        assertThat(100.0 * first.get(5071) / runs).isCloseTo(100.0 / 3, within(0.5));
        assertThat(100.0 * first.get(5072) / runs).isCloseTo(200.0 / 3, within(0.5));
        assertThat(walk(trunk.plan(random, health))).extracting(Destination::port)
                .containsExactlyInAnyOrder(5071, 5072, 5081).doesNotContain(5073);
    }

    @Test
    void plan_wholePriorityDown_goesStraightToTheNext() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5081, 2, 10);
        RoutedTrunk trunk = f.routed();
        Set<UUID> down = Set.of(f.uris().get(0).id(), f.uris().get(1).id());

        FailoverPlan plan = trunk.plan(random, id -> !down.contains(id));

        assertThat(walk(plan)).extracting(Destination::port).containsExactly(5081);
        assertThat(plan.inPanicMode()).isFalse();
    }

    @Test
    void plan_everythingDown_panicsAndTriesAllInPriorityOrder() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 20).uri(5081, 2, 10).uri(5082, 2, 0).routed();

        FailoverPlan plan = trunk.plan(random, id -> false);
        List<Destination> walk = walk(plan);

        assertThat(plan.inPanicMode()).isTrue();
        assertThat(walk).extracting(Destination::priority).containsExactly(1, 1, 2, 2);
        // drained last within its priority
        assertThat(walk.get(3).port()).isEqualTo(5082);
    }

    @Test
    void plan_drainedUrisAreTriedOnlyInPanicMode() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 0).uri(5072, 1, 10).uri(5081, 2, 0).uri(5082, 2, 0).uri(5091, 3, 5).routed();

        assertThat(walk(trunk.plan(random, HealthView.ALL_UP))).extracting(Destination::port).containsExactly(5072, 5091);
    }

    @Test
    void plan_allDrained_panicsInConfigOrder() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 0).uri(5072, 1, 0).uri(5081, 2, 0).routed();

        FailoverPlan plan = trunk.plan(random, HealthView.ALL_UP);

        assertThat(walk(plan)).extracting(Destination::port).containsExactly(5071, 5072, 5081);
        assertThat(plan.inPanicMode()).isTrue();
    }

    @Test
    void plan_stopsAtMaxAttempts() {
        Trunk limited = new Trunk(Fixtures.TRUNK, Fixtures.ACCOUNT, "limited", null, new TrunkMatch(List.of(), List.of(), true),
                new FailoverOverride(null, null, 3), null, null, null, null);
        Fixtures f = new Fixtures().trunk(limited);
        for (int i = 0; i < 10; i++) {
            f.uri(5070 + i, 1 + i % 2, 10);
        }

        FailoverPlan plan = f.routed().plan(random, HealthView.ALL_UP);

        assertThat(walk(plan)).hasSize(3);
        assertThat(plan.attempts()).isEqualTo(3);
        assertThat(plan.next()).isNull();
    }

    @Test
    void plan_disabledUrisAreNeverTried_evenInPanic() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10);
        f.uri(Fixtures.TRUNK, 5072, 1, 10, false);
        RoutedTrunk trunk = f.routed();

        assertThat(walk(trunk.plan(random, HealthView.ALL_UP))).extracting(Destination::port).containsExactly(5071);
        assertThat(walk(trunk.plan(random, id -> false))).extracting(Destination::port).containsExactly(5071);
    }

    @Test
    void plan_emptyTrunkYieldsNothing() {
        RoutedTrunk trunk = Fixtures.oneTrunk().routed();

        assertThat(trunk.isEmpty()).isTrue();
        assertThat(trunk.plan(random, HealthView.ALL_UP).next()).isNull();
        assertThat(trunk.firstPick(random)).isNull();
    }

    @Test
    void plan_ordersAreIndependentAcrossCalls() {
        RoutedTrunk trunk = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 1, 10).uri(5073, 1, 10).routed();
        Set<String> orders = new java.util.HashSet<>();

        for (int i = 0; i < 600; i++) {
            orders.add(walk(trunk.plan(random, HealthView.ALL_UP)).stream().map(d -> String.valueOf(d.port()))
                    .collect(Collectors.joining(",")));
        }

        assertThat(orders).hasSize(6); // every permutation of three equal URIs occurs
    }

    static List<Destination> walk(FailoverPlan plan) {
        List<Destination> out = new ArrayList<>();
        for (Destination d = plan.next(); d != null; d = plan.next()) {
            out.add(d);
        }
        return out;
    }
}
