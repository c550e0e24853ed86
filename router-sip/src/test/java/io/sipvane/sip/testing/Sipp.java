package io.sipvane.sip.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.testing.Await;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * SIPp (Debian {@code sip-tester}) as the tests' reference caller and PBXs: starts UAS and UAC
 * processes in a working folder, reads their {@code -trace_stat} counters, and kills them all
 * on close. Without sipp on the PATH the constructor fails the test on purpose: CI installs it.
 */
public final class Sipp implements AutoCloseable {
    private static final Path SCENARIOS = locateScenarios();

    private final Path dir;
    private final String sipp;
    private final List<Process> processes = new ArrayList<>();

    public Sipp(Path dir) {
        this.dir = dir;
        this.sipp = locateSipp();
        assertThat(sipp).as("sipp not found on PATH (install Debian package sip-tester)").isNotNull();
    }

    /** A SIPp PBX playing {@code scenario} on a free port. */
    public record Uas(String name, int port, Path stats) {
        public String uri() {
            return "sip:127.0.0.1:" + port;
        }

        public Stats read() throws Exception {
            return Stats.read(stats);
        }
    }

    public Uas uas(String name, String scenario) throws Exception {
        int port = TestUa.freePort();
        Path stats = dir.resolve("uas-" + name + ".csv");
        startUas(name, port, scenario, stats);
        return new Uas(name, port, stats);
    }

    /** A SIPp PBX on a given port (for one that dies and comes back). */
    public Process startUas(String name, int port, String scenario) throws Exception {
        return startUas(name, port, scenario, dir.resolve("uas-" + name + ".csv"));
    }

    private Process startUas(String name, int port, String scenario, Path stats) throws Exception {
        return start(dir.resolve("uas-" + name + ".out"), sipp, "-sf", scenario(scenario), "-i", "127.0.0.1",
                "-p", Integer.toString(port), "-t", "u1", "-nostdin",
                // unexpected messages and timeouts, with the message, in <scenario>_<pid>_errors.log
                "-trace_err",
                "-trace_stat", "-stf", stats.toString(), "-fd", "1");
    }

    /** A SIPp caller placing {@code calls} calls at {@code rate}/s through the router; statistics in {@code uac.csv}. */
    public Process startUac(int routerPort, int calls, int rate) throws Exception {
        return startUac(routerPort, calls, rate, "uac");
    }

    /** As above, with statistics in {@code NAME.csv} (for several callers in one test). */
    public Process startUac(int routerPort, int calls, int rate, String name) throws Exception {
        int port = TestUa.freePort();
        return start(dir.resolve(name + ".out"), sipp, "-sf", scenario("uac_rr.xml"), "127.0.0.1:" + routerPort,
                "-i", "127.0.0.1", "-p", Integer.toString(port), "-t", "u1", "-nostdin",
                "-s", "14155550100", "-m", Integer.toString(calls), "-r", Integer.toString(rate), "-l", "1000",
                // a call that waits 20 s for an answer fails instead of holding the run open
                "-d", "100", "-default_behaviors", "all,-abortunexp", "-timeout", "100s", "-recv_timeout", "20000",
                "-trace_stat", "-stf", dir.resolve(name + ".csv").toString(), "-fd", "1");
    }

    /** Runs a caller to the end and returns its final statistics. */
    public Stats runUac(int routerPort, int calls, int rate) throws Exception {
        return runUac(routerPort, calls, rate, "uac");
    }

    /** As above, with statistics in {@code NAME.csv}. */
    public Stats runUac(int routerPort, int calls, int rate, String name) throws Exception {
        Process p = startUac(routerPort, calls, rate, name);
        // generous liveness bound; the run itself takes seconds
        assertThat(p.waitFor(110, TimeUnit.SECONDS)).as("SIPp UAC finished").isTrue();
        Stats s = Stats.read(dir.resolve(name + ".csv"));
        assertThat(s).as("UAC statistics, output:\n" + tail(dir.resolve(name + ".out"))).isNotNull();
        return s;
    }

    /** The caller's latest statistics, or null before its first line. */
    public Stats uacStats() throws Exception {
        return Stats.read(dir.resolve("uac.csv"));
    }

    /** Waits until the PBXs together counted {@code total} in {@code column}; returns their counts. */
    public long[] awaitTotal(String column, long total, Uas... all) throws Exception {
        long[] counts = new long[all.length];
        await("PBXs reach " + total + " " + column, () -> {
            long sum = 0;
            for (int i = 0; i < all.length; i++) {
                counts[i] = count(all[i], column);
                sum += counts[i];
            }
            return sum >= total;
        });
        return counts;
    }

    /** A PBX's current count in {@code column}, 0 before its first statistics line. */
    public static long count(Uas uas, String column) {
        try {
            Stats s = uas.read();
            return s == null ? 0 : s.get(column);
        } catch (Exception e) {
            return 0; // the file is being rewritten: read it again on the next poll
        }
    }

    /** Polls {@code condition} every 50 ms for up to 60 s; fails naming {@code what}. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, 60, condition);
    }

    /** Waits up to {@code seconds} for {@code condition} ({@link Await}); fails naming {@code what}. */
    public static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(seconds), condition::getAsBoolean);
    }

    /** Starts a process in the working folder with its output in {@code out}; killed on close. */
    public Process start(Path out, String... command) throws Exception {
        return start(out, java.util.Map.of(), command);
    }

    /** As above, with these variables added to its environment. */
    public Process start(Path out, java.util.Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    public static String scenario(String name) {
        return SCENARIOS.resolve(name).toAbsolutePath().toString();
    }

    public static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path locateScenarios() {
        for (String candidate : new String[] {"src/test/sipp", "../router-sip/src/test/sipp"}) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Path.of("src/test/sipp");
    }

    private static String locateSipp() {
        return locate("sipp");
    }

    /** An executable on the PATH (or in /usr/bin, /usr/local/bin), or null. */
    public static String locate(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(Arrays.asList(path == null ? new String[0] : path.split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        for (String d : dirs) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /** The last line of a SIPp {@code -trace_stat} CSV, by column name. */
    public record Stats(List<String> header, List<String> values) {
        public static Stats read(Path file) throws Exception {
            if (!Files.exists(file)) {
                return null;
            }
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            if (lines.size() < 2) {
                return null;
            }
            return new Stats(Arrays.asList(lines.get(0).split(";")), Arrays.asList(lines.get(lines.size() - 1).split(";")));
        }

        public long get(String column) {
            int i = header.indexOf(column);
            if (i < 0 || i >= values.size()) {
                throw new IllegalStateException("no column " + column + " in " + header);
            }
            return Long.parseLong(values.get(i).trim());
        }
    }
}
