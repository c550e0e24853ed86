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
 * The cost of choosing where a call goes.
 *
 * <ul>
 *   <li>{@code pick}: one weighted pick among the URIs of one priority of a trunk taken from
 *       the current snapshot (the selection algorithm alone);</li>
 *   <li>{@code lookupAndPick}: what a call does before its first attempt: read the current
 *       snapshot (one volatile read), find the trunk by Request-URI host and number prefix,
 *       and pick;</li>
 *   <li>{@code baselineRandomIndex}: the floor, a bare {@code ThreadLocalRandom} index into an
 *       array of the same size, measured in the same run;</li>
 *   <li>{@code plan}: build the failover plan of a trunk of 2 priorities x 5 URIs and walk it
 *       to the end (every destination, as a call whose every attempt fails would);</li>
 *   <li>{@code planFirstPick}: build the plan and take its first destination, the common case
 *       of a call answered at the first try.</li>
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
    private static final UUID PLAN_TRUNK = UUID.fromString("00000000-0000-4000-8000-00000000be9d");

    /** URIs in the picked priority. */
    @Param({"1", "3", "10", "100"})
    public int uris;

    /** {@code equal}: every weight 10; {@code skewed}: weights 1, 2, 4, ... capped at 65535. */
    @Param({"equal", "skewed"})
    public String weights;

    private RoutingTable table;
    private RoutedTrunk trunk;
    private Destination[] array;

    @Setup(Level.Trial)
    public void setUp() {
        List<OriginationUri> list = new ArrayList<>();
        for (int i = 0; i < uris; i++) {
            int weight = weights.equals("equal") ? 10 : Math.min(65535, 1 << Math.min(i, 16));
            list.add(OriginationUri.of(new UUID(1, i), ACCOUNT, TRUNK, "sip:127.0.0.1:" + (20000 + i), 1, weight));
        }
        for (int i = 0; i < 10; i++) {
            list.add(OriginationUri.of(new UUID(2, i), ACCOUNT, PLAN_TRUNK, "sip:127.0.0.1:" + (30000 + i), 1 + i / 5,
                    weights.equals("equal") ? 10 : 1 + i * 7));
        }
        List<Trunk> trunks = List.of(
                new Trunk(TRUNK, ACCOUNT, "bench", null, new TrunkMatch(List.of("1"), List.of(), true), null, null, null, null, null),
                new Trunk(PLAN_TRUNK, ACCOUNT, "plan", null, new TrunkMatch(List.of("2"), List.of(), false), null, null, null, null, null));
        table = new RoutingTable(new SipvaneConfig(null, null, null, List.of(Account.withToken(ACCOUNT, "x")), trunks, list));
        trunk = table.current().trunk(TRUNK);
        array = trunk.destinations().toArray(new Destination[0]);
    }

    @Benchmark
    public Destination pick() {
        return trunk.pick(ThreadLocalRandom.current());
    }

    @Benchmark
    public Destination lookupAndPick() {
        return table.current().trunkFor("127.0.0.1", "+14155550100").pick(ThreadLocalRandom.current());
    }

    @Benchmark
    public Destination baselineRandomIndex() {
        return array[ThreadLocalRandom.current().nextInt(array.length)];
    }

    @Benchmark
    public void plan(Blackhole bh) {
        FailoverPlan plan = table.current().trunk(PLAN_TRUNK).plan(ThreadLocalRandom.current(), HealthView.ALL_UP);
        for (Destination d = plan.next(); d != null; d = plan.next()) {
            bh.consume(d);
        }
    }

    @Benchmark
    public Destination planFirstPick() {
        return table.current().trunk(PLAN_TRUNK).plan(ThreadLocalRandom.current(), HealthView.ALL_UP).next();
    }
}
