package io.sipvane.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.health.ProbeHealth;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIPp end to end: a SIPp UAC calls through the router to three SIPp UASs (priority 1 weight
 * 10, priority 1 weight 20, priority 2). SIPp must be installed (Debian {@code sip-tester});
 * without it this test fails on purpose, since CI installs it. Scenarios: {@code src/test/sipp}.
 */
class SippEndToEndTest {
    private static final Path SCENARIOS = Path.of("src/test/sipp");
    private static final String SERVICE = "14155550100";

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private String sipp;

    @BeforeEach
    void findSipp() {
        sipp = locateSipp();
        assertThat(sipp).as("sipp not found on PATH (install Debian package sip-tester)").isNotNull();
    }

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sipp_splitsOneToTwoInsidePriorityOne() throws Exception {
        Uas a = uas("a", "uas_rr.xml");
        Uas b = uas("b", "uas_rr.xml");
        Uas c = uas("c", "uas_rr.xml");
        int calls = 3000;
        try (TestRouter router = TestRouter.builder().seed(7)
                .dest(a.uri(), 1, 10).dest(b.uri(), 1, 20).dest(c.uri(), 2, 10).start()) {
            Stats uac = runUac(router.port, calls, 400);

            assertThat(uac.get("FailedCall(C)")).isZero();
            assertThat(uac.get("SuccessfulCall(C)")).isEqualTo(calls);
            long[] counts = awaitIncoming(calls, a, b, c);
            String seen = "calls per UAS a/b/c: " + Arrays.toString(counts);
            assertThat(counts[0] + counts[1]).as(seen).isEqualTo(calls);
            assertThat(counts[2]).as(seen).isZero();
            double shareB = counts[1] / (double) (counts[0] + counts[1]);
            assertThat(shareB).as(seen).isBetween(2 / 3.0 - 0.03, 2 / 3.0 + 0.03);
            // the metrics agree with SIPp's own count, exactly
            assertThat(count(router, "sipvane.calls", "outcome", "answered")).isEqualTo(calls);
            assertThat(count(router, "sipvane.attempts", "class", "2xx")).isEqualTo(calls);
            assertThat(count(router, "sipvane.failovers", "reason", "code")).isZero();
        }
    }

    @Test
    void sipp_priorityOneAnswering503_everyCallCompletesOnPriorityTwo() throws Exception {
        Uas a = uas("a", "uas_503.xml");
        Uas b = uas("b", "uas_503.xml");
        Uas c = uas("c", "uas_rr.xml");
        int calls = 1000;
        try (TestRouter router = TestRouter.builder().seed(7)
                .dest(a.uri(), 1, 10).dest(b.uri(), 1, 20).dest(c.uri(), 2, 10).start()) {
            Stats uac = runUac(router.port, calls, 300);

            assertThat(uac.get("FailedCall(C)")).isZero();
            assertThat(uac.get("SuccessfulCall(C)")).isEqualTo(calls);
            assertThat(awaitSuccessful(c, calls)).isEqualTo(calls);
            // each call was refused by both priority-1 UASs first (quarantine is off in TestRouter)
            long[] refused = awaitIncoming(2 * calls, a, b);
            assertThat(refused[0] + refused[1]).as("INVITEs refused by a/b: %s", Arrays.toString(refused))
                    .isEqualTo(2L * calls);
            assertThat(count(router, "sipvane.calls", "outcome", "answered")).isEqualTo(calls);
            assertThat(count(router, "sipvane.attempts", "class", "5xx")).isEqualTo(2.0 * calls);
            assertThat(count(router, "sipvane.failovers", "reason", "code")).isEqualTo(2.0 * calls);
        }
    }

    @Test
    void sipp_destinationKilledDuringARun_isMarkedDownSkipped_andBroughtBack() throws Exception {
        int aPort = TestUa.freePort();
        Process a = startUas("a", aPort, "uas_rr.xml");
        Uas b = uas("b", "uas_rr.xml");
        Uas c = uas("c", "uas_rr.xml");
        ProbeHealth health = new ProbeHealth(2, 2);
        int calls = 2000;
        int rate = 200;
        // Timer C of 3 s: a call that was ringing at the PBX when it died ends with 408 (after
        // a 1xx the router never fails over) instead of ringing for three minutes
        try (TestRouter router = TestRouter.builder().seed(7).attemptTimeoutMs(500).timerCMs(3000)
                .health("  probe_interval_ms: 200\n  probe_timeout_ms: 300\n  down_after: 2\n  up_after: 2\n")
                .healthView(health).dest("sip:127.0.0.1:" + aPort, 1, 10).dest(b.uri(), 1, 20).dest(c.uri(), 2, 10).start();
                Prober prober = new Prober(router.table, health, router.server::probe, router.server.metrics())) {
            prober.start();
            java.util.UUID aId = router.table.current().trunkFor("127.0.0.1", SERVICE).destinations().get(0).id();
            awaitState(health, aId, ProbeHealth.State.UP);

            java.util.concurrent.CompletableFuture<Stats> uac = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return runUac(router.port, calls, rate);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(2000);
            a.destroy(); // the PBX dies in the middle of the run
            assertThat(a.waitFor(20, TimeUnit.SECONDS)).isTrue();
            awaitState(health, aId, ProbeHealth.State.DOWN);
            // calls sent to it before it was marked down end: silent ones fail over after the 500 ms
            // attempt timeout, ringing ones end with Timer C after 3 s
            Thread.sleep(4000);
            double timeoutsWhenDown = attemptsOf(router, aId, "timeout");
            Stats result = uac.get(120, TimeUnit.SECONDS);

            // from then on no call waited for the dead destination's timeout
            assertThat(attemptsOf(router, aId, "timeout")).isEqualTo(timeoutsWhenDown);
            assertThat(result.get("SuccessfulCall(C)") + result.get("FailedCall(C)")).isEqualTo(calls);
            // only calls the PBX had answered (their BYE has nobody to reach) or was ringing when it
            // died can fail
            assertThat(result.get("FailedCall(C)")).isLessThanOrEqualTo(rate / 2);

            startUas("a-again", aPort, "uas_rr.xml"); // it comes back
            awaitState(health, aId, ProbeHealth.State.UP);
        }
    }

    @Test
    void sipp_sigtermDuringARun_drainsExitsZero_andLosesNoAnsweredCall() throws Exception {
        Uas a = uas("a", "uas_rr.xml");
        Uas b = uas("b", "uas_rr.xml");
        int port = TestUa.freePort();
        Path config = dir.resolve("sipvane.yaml");
        Files.writeString(config, """
                sip:
                  listen: ["udp:127.0.0.1:%d"]
                admin: { listen: "127.0.0.1:0" }
                health: { probing: false }
                shutdown: { grace_ms: 3000 }
                accounts: [ { auth_id: MASIGTERM00000000000, auth_token: "t" } ]
                trunks: [ { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MASIGTERM00000000000, match: { default: true } } ]
                origination_uris:
                  - { id: aabbccdd-0000-4000-8000-000000000001, account_id: MASIGTERM00000000000, uri: "%s", weight: 10 }
                  - { id: aabbccdd-0000-4000-8000-000000000002, account_id: MASIGTERM00000000000, uri: "%s", weight: 20 }
                """.formatted(port, a.uri(), b.uri()));
        int calls = 1000;
        Process first = startRouter(config, "router-1");
        java.util.concurrent.CompletableFuture<Stats> uac = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return runUac(port, calls, 100);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(3000);
        first.destroy(); // SIGTERM in the middle of the run
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("exit status after SIGTERM").isZero();
        // a restart on the same address: in-dialog requests of calls answered before the stop
        // (their ACK and BYE retransmissions) are routed by the new process
        startRouter(config, "router-2");
        Stats result = uac.get(120, TimeUnit.SECONDS);

        assertThat(result.get("SuccessfulCall(C)")).as("calls completed").isPositive();
        // every call a PBX answered ended properly: it got its ACK and its BYE
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Stats sa;
        Stats sb;
        do {
            Thread.sleep(250);
            sa = Stats.read(a.stats());
            sb = Stats.read(b.stats());
        } while ((sa.get("CurrentCall") + sb.get("CurrentCall") > 0) && System.nanoTime() < deadline);
        assertThat(sa.get("FailedCall(C)") + sb.get("FailedCall(C)")).as("answered calls lost").isZero();
        assertThat(sa.get("SuccessfulCall(C)") + sb.get("SuccessfulCall(C)"))
                .isEqualTo(sa.get("IncomingCall(C)") + sb.get("IncomingCall(C)"));
    }

    // ---------------------------------------------------------------- helpers

    /** The router as its own process (as {@code Main} runs in production); returns once it is ready. */
    private Process startRouter(Path config, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve(name + ".log");
        Process p = start(log, java, "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--config", config.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("sipvane ready")) {
                return p;
            }
            assertThat(p.isAlive()).as("router process running, log:\n" + tail(log)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("router not ready in time:\n" + tail(log));
    }

    private Process startUas(String name, int port, String scenario) throws Exception {
        return start(dir.resolve("uas-" + name + ".out"), sipp, "-sf", scenario(scenario), "-i", "127.0.0.1",
                "-p", Integer.toString(port), "-t", "u1", "-nostdin",
                "-trace_stat", "-stf", dir.resolve("uas-" + name + ".csv").toString(), "-fd", "1");
    }

    private static void awaitState(ProbeHealth health, java.util.UUID id, ProbeHealth.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (health.state(id) != state) {
            assertThat(System.nanoTime()).as("destination %s becomes %s", id, state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static double attemptsOf(TestRouter router, java.util.UUID destination, String result) {
        return router.registry.find("sipvane.attempts").tag("destination", destination.toString()).tag("class", result)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static double count(TestRouter router, String name, String tag, String value) {
        return router.registry.find(name).tag(tag, value).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    record Uas(String name, int port, Path stats) {
        String uri() {
            return "sip:127.0.0.1:" + port;
        }
    }

    private Uas uas(String name, String scenario) throws Exception {
        int port = TestUa.freePort();
        Path stats = dir.resolve("uas-" + name + ".csv");
        start(dir.resolve("uas-" + name + ".out"), sipp, "-sf", scenario(scenario), "-i", "127.0.0.1",
                "-p", Integer.toString(port), "-t", "u1", "-nostdin",
                "-trace_stat", "-stf", stats.toString(), "-fd", "1");
        return new Uas(name, port, stats);
    }

    private Stats runUac(int routerPort, int calls, int rate) throws Exception {
        int port = TestUa.freePort();
        Path stats = dir.resolve("uac.csv");
        Path out = dir.resolve("uac.out");
        Process p = start(out, sipp, "-sf", scenario("uac_rr.xml"), "127.0.0.1:" + routerPort,
                "-i", "127.0.0.1", "-p", Integer.toString(port), "-t", "u1", "-nostdin",
                "-s", SERVICE, "-m", Integer.toString(calls), "-r", Integer.toString(rate), "-l", "1000",
                // a call that waits 20 s for an answer fails instead of holding the run open
                "-d", "100", "-default_behaviors", "all,-abortunexp", "-timeout", "100s", "-recv_timeout", "20000",
                "-trace_stat", "-stf", stats.toString(), "-fd", "1");
        // generous liveness bound; the run itself takes seconds
        assertThat(p.waitFor(110, TimeUnit.SECONDS)).as("SIPp UAC finished").isTrue();
        Stats s = Stats.read(stats);
        assertThat(s).as("UAC statistics in " + stats + ", output:\n" + tail(out)).isNotNull();
        return s;
    }

    /** Waits until the UASs together saw {@code total} calls; returns their IncomingCall counts. */
    private long[] awaitIncoming(int total, Uas... all) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long[] counts = new long[all.length];
        while (System.nanoTime() < deadline) {
            long sum = 0;
            for (int i = 0; i < all.length; i++) {
                Stats s = Stats.read(all[i].stats());
                counts[i] = s == null ? 0 : s.get("IncomingCall(C)");
                sum += counts[i];
            }
            if (sum >= total) {
                return counts;
            }
            Thread.sleep(250);
        }
        return counts;
    }

    private long awaitSuccessful(Uas uas, int total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long n = 0;
        while (System.nanoTime() < deadline) {
            Stats s = Stats.read(uas.stats());
            n = s == null ? 0 : s.get("SuccessfulCall(C)");
            if (n >= total) {
                return n;
            }
            Thread.sleep(250);
        }
        return n;
    }

    private Process start(Path out, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String scenario(String name) {
        return SCENARIOS.resolve(name).toAbsolutePath().toString();
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return "(no output: " + e + ")";
        }
    }

    private static String locateSipp() {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(Arrays.asList(path == null ? new String[0] : path.split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        for (String d : dirs) {
            File f = new File(d, "sipp");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /** The last line of a SIPp {@code -trace_stat} CSV, by column name. */
    record Stats(List<String> header, List<String> values) {
        static Stats read(Path file) throws Exception {
            if (!Files.exists(file)) {
                return null;
            }
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            if (lines.size() < 2) {
                return null;
            }
            return new Stats(Arrays.asList(lines.get(0).split(";")), Arrays.asList(lines.get(lines.size() - 1).split(";")));
        }

        long get(String column) {
            int i = header.indexOf(column);
            if (i < 0 || i >= values.size()) {
                throw new IllegalStateException("no column " + column + " in " + header);
            }
            return Long.parseLong(values.get(i).trim());
        }
    }
}
