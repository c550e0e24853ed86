package io.sipvane.bench;

import io.sipvane.core.config.ConfigWriter;
import io.sipvane.core.config.RenderedYaml;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.config.TenantChange;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.core.store.ChangeJournal;
import io.sipvane.core.store.ConfigStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.openjdk.jol.info.GraphLayout;

/**
 * What a routing table of a given size holds and where an API write's time goes, at
 * {@link ScaleConfig} sizes (default 1,000, 10,000 and 100,000 URIs).
 *
 * <p>Per size it prints: the heap held by the config alone and by the snapshot built from it
 * (which references the config), counted exactly with JOL's object graph walk and, as a
 * cross-check, the used heap after a full GC with and without the snapshot (MemoryMXBean);
 * then {@code writes} API writes timed end to end ({@code ConfigStore.update} until the
 * snapshot is published, on a temporary file: the journal record fdatasync'd) and, for as
 * many more, each step of a write on its own as the store runs it: the change with config
 * validation, the journal record, the snapshot build and publication, and then the fold the
 * store runs once writes pause (the YAML, reusing the text of unchanged objects, and the
 * atomic save: write, fsync, rename, directory fsync), which a write arriving during it
 * waits for; last, {@code before} full snakeyaml dumps, what a write did twice before the
 * YAML was reused. Each is reported as median, 90th percentile and maximum in ms, after
 * {@code warmup} writes not counted.
 *
 * <p>Run: {@code java -Xmx3g -Djdk.attach.allowAttachSelf -Djol.magicFieldOffset=true
 * -cp router-bench/target/benchmarks.jar io.sipvane.bench.TableFootprint
 * [sizes=1000,10000,100000] [writes=30] [warmup=10] [before=3]}.
 */
public final class TableFootprint {
    private TableFootprint() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = {1_000, 10_000, 100_000};
        int writes = 30;
        int warmup = 10;
        int before = 3;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "sizes" -> sizes = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "writes" -> writes = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "before" -> before = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        System.out.println("| uris | trunks | accounts | config MiB (JOL) | snapshot adds MiB (JOL) | snapshot adds MiB (heap after GC) | YAML MiB |");
        List<String> writeRows = new ArrayList<>();
        for (int size : sizes) {
            SipvaneConfig config = ScaleConfig.build(size);
            long configBytes = GraphLayout.parseInstance(config).totalSize();
            long withoutSnapshot = usedAfterGc();
            RoutingSnapshot snapshot = RoutingSnapshot.build(config, 1);
            long withSnapshot = usedAfterGc();
            long snapshotBytes = GraphLayout.parseInstance(snapshot).totalSize();
            String yaml = ConfigWriter.toYaml(config);
            System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %.1f | %.1f | %.1f | %.1f |%n", size, config.trunks().size(),
                    config.accounts().size(), mib(configBytes), mib(snapshotBytes - configBytes),
                    mib(withSnapshot - withoutSnapshot), mib(yaml.length()));
            if (snapshot.version() != 1) {
                throw new AssertionError(); // keeps the snapshot reachable until here
            }
            writeRows.addAll(writes(size, config, yaml, writes, warmup, before));
        }
        System.out.println();
        System.out.println("| uris | step | p50 ms | p90 ms | max ms |");
        writeRows.forEach(System.out::println);
    }

    private static List<String> writes(int size, SipvaneConfig config, String yaml, int writes, int warmup, int before) throws Exception {
        Path dir = Files.createTempDirectory("sipvane-footprint");
        Path file = dir.resolve("sipvane.yaml");
        Files.writeString(file, yaml);
        List<String> rows = new ArrayList<>();
        try (ConfigStore store = ConfigStore.open(file)) {
            long[] total = new long[writes];
            for (int i = -warmup; i < writes; i++) {
                int priority = 1 + (i & 1) * 2;
                long t0 = System.nanoTime();
                store.update(c -> new ConfigStore.Change<>(changed(c, priority), null)).join();
                if (i >= 0) {
                    total[i] = System.nanoTime() - t0;
                }
            }
            rows.add(row(size, "API write, end to end (`ConfigStore.update` to published)", total));

            RoutingTable table = new RoutingTable(config);
            ConfigWriter.Incremental incremental = new ConfigWriter.Incremental();
            incremental.render(config);
            Path other = dir.resolve("steps.yaml");
            long[] change = new long[writes];
            long[] journaled = new long[writes];
            long[] publish = new long[writes];
            long[] toYaml = new long[writes];
            long[] save = new long[writes];
            SipvaneConfig current = config;
            try (ChangeJournal journal = ChangeJournal.open(dir.resolve(".steps.yaml.journal"))) {
                for (int i = -warmup; i < writes; i++) {
                    int priority = 1 + (i & 1) * 2;
                    long t0 = System.nanoTime();
                    SipvaneConfig next = changed(current, priority);
                    long t1 = System.nanoTime();
                    journal.append(TenantChange.between(current, next).toYaml());
                    long t2 = System.nanoTime();
                    table.publish(next);
                    long t3 = System.nanoTime();
                    RenderedYaml content = incremental.render(next);
                    long t4 = System.nanoTime();
                    ConfigWriter.save(content, other);
                    journal.clear();
                    long t5 = System.nanoTime();
                    if (i >= 0) {
                        change[i] = t1 - t0;
                        journaled[i] = t2 - t1;
                        publish[i] = t3 - t2;
                        toYaml[i] = t4 - t3;
                        save[i] = t5 - t4;
                    }
                    current = next;
                }
            }
            rows.add(row(size, "- change + validation (`withOriginationUri`)", change));
            rows.add(row(size, "- journal record (`TenantChange` YAML, `ChangeJournal.append`: write, fdatasync)", journaled));
            rows.add(row(size, "- snapshot build + publish (`RoutingTable.publish`)", publish));
            rows.add(row(size, "fold, after the write: YAML fragments, reusing unchanged objects (`ConfigWriter.Incremental.render`)", toYaml));
            rows.add(row(size, "fold, after the write: atomic save (`ConfigWriter.save`: write, fsync, rename, fsync dir) and journal emptied", save));
            long[] full = new long[before];
            for (int i = 0; i < before; i++) {
                long t0 = System.nanoTime();
                ConfigWriter.toYaml(current);
                full[i] = System.nanoTime() - t0;
            }
            if (before > 0) {
                rows.add(row(size, "(before: a full snakeyaml dump, done twice per write)", full));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return rows;
    }

    /** What an API write does to the config: one URI's priority replaced (a Vobiz-style PUT). */
    private static SipvaneConfig changed(SipvaneConfig c, int priority) {
        OriginationUri u = c.originationUris().get(c.originationUris().size() / 3);
        return c.withOriginationUri(u.withPriority(priority));
    }

    private static String row(int size, String step, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "| %,d | %s | %.1f | %.1f | %.1f |", size, step, ms(s[s.length / 2]),
                ms(s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)]), ms(s[s.length - 1]));
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
