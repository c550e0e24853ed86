package io.sipvane.bench;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.FailoverPlan;
import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.core.routing.RoutingTable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of choosing where a call goes, on the code a call runs.
 *
 * <ul>
 *   <li>{@code baselineRandomIndex}: the floor, a bare {@code ThreadLocalRandom} index into an
 *       array of the same size, measured in the same run;</li>
 *   <li>{@code firstPick}: exactly what a call answered at its first try runs before it
 *       leaves the router: read the current snapshot ({@code RoutingTable.current()}, one
 *       volatile read), find the trunk ({@code trunkFor(host, user)}: host hash lookup, number
 *       prefix walk) and draw its first destination ({@code RoutedTrunk.firstPick}: one
 *       alias-table draw over the health-filtered best priority), with the generator the
 *       router hands calls (a {@code RandomGenerator} over {@code ThreadLocalRandom});</li>
 *   <li>{@code firstPickOneDown}: the same with one URI of the picked priority marked down
 *       by health (the table is rebuilt on the transition, so the cost must not change);</li>
 *   <li>{@code firstFailsThenPlan}: a call whose every attempt fails: the first pick, then
 *       {@code planAfter} and the walk of the 9 other destinations of a 2 priorities x 5 URIs
 *       trunk;</li>
 *   <li>{@code planFromStart}: the previous call path, for comparison: build the plan of that
 *       trunk ({@code RoutedTrunk.plan}) and take its first destination.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar router-bench/target/benchmarks.jar SelectionBenchmark -prof gc}
 * (after {@code mvn -B package -DskipTests}). Results and the exact command are in
 * {@code router-bench/README.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectionBenchmark {
    private static final String ACCOUNT = "MABENCH0000000000000";
    private static final UUID TRUNK = UUID.fromString("00000000-0000-4000-8000-00000000be9c");
    private static final UUID DOWN_TRUNK = UUID.fromString("00000000-0000-4000-8000-00000000be9e");
    private static final UUID PLAN_TRUNK = UUID.fromString("00000000-0000-4000-8000-00000000be9d");
    /** The generator router-sip hands calls ({@code Sipvane.THREAD_LOCAL_RANDOM}). */
    private static final RandomGenerator CALL_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    /** URIs in the picked priority. */
    @Param({"1", "3", "10", "100"})
    public int uris;

    /** {@code equal}: every weight 10; {@code skewed}: weights 1, 2, 4, ... capped at 65535. */
    @Param({"equal", "skewed"})
    public String weights;

    private RoutingTable table;
    private Destination[] array;

    @Setup(Level.Trial)
    public void setUp() {
        List<OriginationUri> list = new ArrayList<>();
        for (int i = 0; i < uris; i++) {
            int weight = weights.equals("equal") ? 10 : Math.min(65535, 1 << Math.min(i, 16));
            list.add(OriginationUri.of(new UUID(1, i), ACCOUNT, TRUNK, "sip:127.0.0.1:" + (20000 + i), 1, weight));
            list.add(OriginationUri.of(new UUID(3, i), ACCOUNT, DOWN_TRUNK, "sip:127.0.0.2:" + (20000 + i), 1, weight));
        }
        for (int i = 0; i < 10; i++) {
            list.add(OriginationUri.of(new UUID(2, i), ACCOUNT, PLAN_TRUNK, "sip:127.0.0.1:" + (30000 + i), 1 + i / 5,
                    weights.equals("equal") ? 10 : 1 + i * 7));
        }
        List<Trunk> trunks = List.of(
                new Trunk(TRUNK, ACCOUNT, "bench", null, new TrunkMatch(List.of("1"), List.of(), true), null, null, null, null, null),
                new Trunk(DOWN_TRUNK, ACCOUNT, "down", null, new TrunkMatch(List.of("3"), List.of(), false), null, null, null, null, null),
                new Trunk(PLAN_TRUNK, ACCOUNT, "plan", null, new TrunkMatch(List.of("2"), List.of(), false), null, null, null, null, null));
        table = new RoutingTable(new SipvaneConfig(null, null, null, List.of(Account.withToken(ACCOUNT, "x")), trunks, list));
        // one URI of DOWN_TRUNK down (the heaviest when skewed), unless it is the only one
        UUID down = uris > 1 ? new UUID(3, uris - 1) : null;
        table.useHealth(id -> !id.equals(down));
        RoutedTrunk trunk = table.current().trunk(TRUNK);
        array = trunk.destinations().toArray(new Destination[0]);
        if (table.current().trunkFor("127.0.0.1", "+14155550100") != trunk
                || table.current().trunkFor("127.0.0.1", "+34155550100") != table.current().trunk(DOWN_TRUNK)) {
            throw new IllegalStateException("the benchmark numbers do not find their trunks");
        }
    }

    @Benchmark
    public Destination baselineRandomIndex() {
        return array[ThreadLocalRandom.current().nextInt(array.length)];
    }

    @Benchmark
    public Destination firstPick() {
        return table.current().trunkFor("127.0.0.1", "+14155550100").firstPick(CALL_RANDOM);
    }

    @Benchmark
    public Destination firstPickOneDown() {
        return table.current().trunkFor("127.0.0.1", "+34155550100").firstPick(CALL_RANDOM);
    }

    @Benchmark
    public void firstFailsThenPlan(Blackhole bh) {
        RoutedTrunk trunk = table.current().trunkFor("127.0.0.1", "+24155550100");
        Destination first = trunk.firstPick(CALL_RANDOM);
        bh.consume(first);
        FailoverPlan plan = trunk.planAfter(first, CALL_RANDOM, HealthView.ALL_UP);
        for (Destination d = plan.next(); d != null; d = plan.next()) {
            bh.consume(d);
        }
    }

    @Benchmark
    @SuppressWarnings("removal")
    public Destination planFromStart() {
        return table.current().trunkFor("127.0.0.1", "+24155550100").plan(CALL_RANDOM, HealthView.ALL_UP).next();
    }
}
