package io.sipvane.bench;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.core.store.ConfigStore;
import io.sipvane.core.config.ConfigWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How routing scales with the size of the table ({@link ScaleConfig}: {@code uris} URIs,
 * one trunk per 10, one account per 100).
 *
 * <ul>
 *   <li>{@code baselineRandomIndex}: the floor, a bare random index into a 10-element array;</li>
 *   <li>{@code firstPick}: what a call answered at the first try runs
 *       ({@code current().trunkFor(host, user).firstPick(random)}), each call for another of
 *       1,024 random trunks (numbers spread over the whole table, a host that matches no
 *       domain, so both indexes are searched): the number-prefix walk is 7 trie levels here,
 *       and with the table larger than the caches it misses them;</li>
 *   <li>{@code firstPickSameCall}: the same for one call over and over (its trunk stays in
 *       cache): the cost of the code alone, which must not grow with the table;</li>
 *   <li>{@code build}: a full snapshot build from the config (start-up, reload of an edited
 *       file);</li>
 *   <li>{@code publishWrite}: what an API write costs the routing table: publish a config
 *       in which one URI's priority changed ({@code RoutingTable.publish}, which reuses the
 *       trunks the change did not touch);</li>
 *   <li>{@code healthChange}: one URI's health flips and the table republishes with its
 *       trunk's first-pick table rebuilt ({@code RoutingTable.healthChanged});</li>
 *   <li>{@code apiWrite}: one API write, from {@code ConfigStore.update} to the new snapshot
 *       published: change one URI's priority (a new config, that URI checked), append it to
 *       the journal with fdatasync, build and publish; the file store folds the journal into
 *       the YAML file on its own thread meanwhile. The file sits in {@code java.io.tmpdir};
 *       fsync cost depends on that file system.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar router-bench/target/benchmarks.jar ScaleBenchmark -prof gc}
 * (after {@code mvn -B package -DskipTests}). Heap held and the breakdown of an API write
 * come from {@link TableFootprint}. Results are in {@code router-bench/README.md}.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class ScaleBenchmark {
    private static final RandomGenerator CALL_RANDOM = () -> ThreadLocalRandom.current().nextLong();
    private static final int CALLS = 1024;

    @Param({"1000", "10000", "100000"})
    public int uris;

    private SipvaneConfig config;
    /** {@code config} with one URI's priority changed. */
    private SipvaneConfig changed;
    private SipvaneConfig published;
    private RoutingTable table;
    private Destination[] ten;
    private String[] numbers;
    private int call;
    private final Set<UUID> down = ConcurrentHashMap.newKeySet();
    private UUID flipping;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        config = ScaleConfig.build(uris);
        OriginationUri third = config.originationUris().get(config.originationUris().size() / 3);
        changed = config.withOriginationUri(third.withPriority(3)); // as the API changes one URI
        published = config;
        table = new RoutingTable(config);
        table.useHealth(id -> !down.contains(id));
        ten = table.current().trunk(ScaleConfig.trunkId(0)).destinations().toArray(new Destination[0]);
        int trunks = config.trunks().size();
        SplittableRandom random = new SplittableRandom(42);
        numbers = new String[CALLS];
        for (int i = 0; i < CALLS; i++) {
            int t = random.nextInt(trunks);
            numbers[i] = ScaleConfig.number(t) + "5550100";
            if (table.current().trunkFor("192.0.2.1", numbers[i]).trunk().id().getLeastSignificantBits() != t) {
                throw new IllegalStateException("call " + i + " does not find trunk " + t);
            }
        }
        flipping = ScaleConfig.uriId(config.originationUris().size() / 2);
    }

    /**
     * The store of {@code apiWrite} only: opening it fills its YAML cache on the writer
     * thread, seconds of work at 100,000 URIs that must not overlap another measurement.
     */
    @State(Scope.Benchmark)
    public static class Store {
        private Path dir;
        private ConfigStore store;
        private int writes;

        @Setup(Level.Trial)
        public void setUp(ScaleBenchmark bench) throws Exception {
            dir = Files.createTempDirectory("sipvane-scale");
            Path file = dir.resolve("sipvane.yaml");
            Files.writeString(file, ConfigWriter.toYaml(bench.config));
            store = ConfigStore.open(file);
            // queued behind the cache fill on the writer thread: returns when it is done
            store.update(c -> new ConfigStore.Change<>(c, null)).join();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Destination baselineRandomIndex() {
        return ten[ThreadLocalRandom.current().nextInt(ten.length)];
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Destination firstPick() {
        String number = numbers[call++ & (CALLS - 1)];
        return table.current().trunkFor("192.0.2.1", number).firstPick(CALL_RANDOM);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Destination firstPickSameCall() {
        return table.current().trunkFor("192.0.2.1", numbers[0]).firstPick(CALL_RANDOM);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RoutingSnapshot build() {
        return RoutingSnapshot.build(config, HealthView.ALL_UP, 2);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RoutingSnapshot publishWrite() {
        published = published == config ? changed : config;
        return table.publish(published);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public RoutingSnapshot healthChange() {
        if (!down.remove(flipping)) {
            down.add(flipping);
        }
        table.healthChanged(flipping);
        return table.current();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RoutingSnapshot apiWrite(Store s) {
        int priority = 1 + (++s.writes & 1) * 2; // 3, 1, 3, 1, ...: every write changes the config
        ConfigStore store = s.store;
        store.update(c -> {
            OriginationUri third = c.originationUris().get(c.originationUris().size() / 3);
            return new ConfigStore.Change<>(c.withOriginationUri(third.withPriority(priority)), null);
        }).join();
        return store.table().current();
    }
}
