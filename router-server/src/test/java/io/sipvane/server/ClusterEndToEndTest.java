package io.sipvane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.testing.Await;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.Sipp.Stats;
import io.sipvane.sip.testing.Sipp.Uas;
import io.sipvane.sip.testing.TestUa;
import io.sipvane.store.postgres.PostgresExtension;
import io.sipvane.store.postgres.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two router processes (as {@code Main} runs them) on different ports sharing one real
 * PostgreSQL database, driven by SIPp: a write through router A's API routes the next calls
 * through router B; writes through both at once; PostgreSQL killed with SIGKILL during SIPp
 * runs on both routers; a router restarted while the database is up.
 */
class ClusterEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEndToEndTest.class);
    private static final String SERVICE = "14155550100";
    private static final String ACCOUNT = "MACLUSTER00000000000";
    private static final String TOKEN = "cluster-token";
    private static final String FIRST_URI = "aabbccdd-0000-4000-8000-000000000001";

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Sipp sipp;
    private String url;

    @BeforeEach
    void setUp() throws Exception {
        sipp = new Sipp(dir);
        url = POSTGRES.server().createDatabase();
    }

    @AfterEach
    void killAll() throws InterruptedException {
        sipp.close();
    }

    @Test
    void writeThroughA_routesCallsThroughB_concurrentWritesLoseNothing_restartedRouterRebuilds() throws Exception {
        Uas a = sipp.uas("a", "uas_rr.xml");
        Uas b = sipp.uas("b", "uas_rr.xml");
        Router routerA = router("a", a.uri());
        Router routerB = router("b", null);

        Stats first = sipp.runUac(routerB.sipPort, 20, 50, "uac-" + System.nanoTime());
        assertThat(first.get("SuccessfulCall(C)")).isEqualTo(20);
        assertThat(sipp.awaitTotal("IncomingCall(C)", 20, a)[0]).isEqualTo(20);

        // through A: the first URI drained, a new one to PBX b; B routes the next call there
        assertThat(post(routerA, "URI/" + FIRST_URI + "/", "{\"weight\": 0}").statusCode()).isEqualTo(200);
        HttpResponse<String> created = post(routerA, "URI/", "{\"name\": \"b\", \"uri\": \"" + b.uri() + "\"}");
        long written = System.nanoTime();
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String newId = field(created.body(), "uri_uuid");
        while (get(routerB, "URI/" + newId + "/").statusCode() != 200) {
            assertThat(System.nanoTime() - written).as("B sees A's write").isLessThan(TimeUnit.SECONDS.toNanos(10));
        }
        long firstMs = (System.nanoTime() - written) / 1_000_000;
        // five more (drained, so routing is unchanged): the delay once both JVMs are warm
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            HttpResponse<String> probe = post(routerA, "URI/", "{\"name\": \"p" + i + "\", \"uri\": \"sip:127.0.0.1:"
                    + (7100 + i) + "\", \"weight\": 0}");
            long t0 = System.nanoTime();
            assertThat(probe.statusCode()).isEqualTo(201);
            String probeId = field(probe.body(), "uri_uuid");
            while (get(routerB, "URI/" + probeId + "/").statusCode() != 200) {
                assertThat(System.nanoTime() - t0).as("B sees A's write").isLessThan(TimeUnit.SECONDS.toNanos(10));
            }
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        java.util.Arrays.sort(ms);
        LOG.info("a write through router A answered, then visible through router B's API after: first {} ms, "
                + "then median {} ms, max {} ms", firstMs, ms[ms.length / 2], ms[ms.length - 1]);
        Stats second = sipp.runUac(routerB.sipPort, 20, 50, "uac-" + System.nanoTime());
        assertThat(second.get("SuccessfulCall(C)")).isEqualTo(20);
        assertThat(sipp.awaitTotal("IncomingCall(C)", 20, b)[0]).isEqualTo(20);
        assertThat(Sipp.count(a, "IncomingCall(C)")).as("no call to the drained URI").isEqualTo(20);

        // writes through both routers at once: every one is kept, both routers agree
        List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Router via = i % 2 == 0 ? routerA : routerB;
            String body = "{\"name\": \"c" + i + "\", \"uri\": \"sip:127.0.0.1:" + (7000 + i) + "\", \"weight\": 0}";
            writes.add(CompletableFuture.supplyAsync(() -> post(via, "URI/", body)));
        }
        for (CompletableFuture<HttpResponse<String>> w : writes) {
            assertThat(w.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        }
        awaitCount(routerA, 15);
        awaitCount(routerB, 15);

        // B restarted while the database is up: it rebuilds from it (its file has no URIs)
        routerB.process.destroy();
        assertThat(routerB.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> whileDown = post(routerA, "URI/" + newId + "/", "{\"name\": \"b, renamed while B was down\"}");
        assertThat(whileDown.statusCode()).isEqualTo(200);
        Router restarted = router("b-again", null, routerB.sipPort, routerB.adminPort);
        assertThat(get(restarted, "URI/" + newId + "/").body()).contains("renamed while B was down");
        assertThat(count(restarted)).isEqualTo(15);
        Stats third = sipp.runUac(restarted.sipPort, 10, 50, "uac-" + System.nanoTime());
        assertThat(third.get("SuccessfulCall(C)")).isEqualTo(10);
        assertThat(sipp.awaitTotal("IncomingCall(C)", 30, b)[0]).isEqualTo(30);
    }

    @Test
    void postgresKilledDuringCallsOnBothRouters_noCallFails_writesAnswer503_thenEverythingConverges() throws Exception {
        Uas a = sipp.uas("a", "uas_rr.xml");
        Router routerA = router("a", a.uri());
        Router routerB = router("b", null);
        PostgresServer postgres = POSTGRES.server();

        int calls = 600;
        CompletableFuture<Stats> runA = CompletableFuture.supplyAsync(() -> runUac(routerA.sipPort, calls, "uac-a"));
        CompletableFuture<Stats> runB = CompletableFuture.supplyAsync(() -> runUac(routerB.sipPort, calls, "uac-b"));
        Sipp.await("a takes calls", () -> Sipp.count(a, "IncomingCall(C)") >= 100);
        postgres.kill();

        // writes through either router: 503 with Retry-After and a message that says why
        for (Router r : List.of(routerA, routerB)) {
            HttpResponse<String> refused = post(r, "URI/", "{\"name\": \"x\", \"uri\": \"sip:127.0.0.1:7999\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("store database is unavailable");
            // reads are served from the snapshot
            assertThat(get(r, "URI/" + FIRST_URI + "/").statusCode()).isEqualTo(200);
        }
        postgres.start();

        Stats statsA = runA.get(120, TimeUnit.SECONDS);
        Stats statsB = runB.get(120, TimeUnit.SECONDS);
        assertThat(statsA.get("FailedCall(C)")).as("calls failed through A").isZero();
        assertThat(statsB.get("FailedCall(C)")).as("calls failed through B").isZero();
        assertThat(statsA.get("SuccessfulCall(C)") + statsB.get("SuccessfulCall(C)")).isEqualTo(2L * calls);

        // after the restart a write through either router reaches both
        String viaB = createEventually(routerB, "sip:127.0.0.1:7001");
        awaitVisible(routerA, viaB);
        String viaA = createEventually(routerA, "sip:127.0.0.1:7002");
        awaitVisible(routerB, viaA);
        assertThat(count(routerA)).isEqualTo(3);
        assertThat(count(routerB)).isEqualTo(3);
    }

    @Test
    void routerStartedWhileTheDatabaseIsDown_failsToStartClearly() throws Exception {
        String deadUrl = "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/sipvane";
        Path config = dir.resolve("down.yaml");
        Files.writeString(config, """
                sip: { listen: ["udp:127.0.0.1:%d"] }
                admin: { listen: "127.0.0.1:0" }
                store: { type: postgres, url: "%s", user: sipvane }
                """.formatted(TestUa.freePort(), deadUrl));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.boot(new String[] {"--config", config.toString()}))
                .isInstanceOfSatisfying(Main.StartupException.class, e -> {
                    assertThat(e.status).isEqualTo(1);
                    assertThat(e.getMessage()).contains("cannot open the store database " + deadUrl)
                            .contains("start it when the database is up");
                });
    }

    // ---------------------------------------------------------------- routers

    record Router(Process process, int sipPort, int adminPort) {}

    /** A router process; {@code firstUri} non-null puts the tenant data in its file (imported once). */
    private Router router(String name, String firstUri) throws Exception {
        return router(name, firstUri, TestUa.freePort(), PostgresServer.freePort());
    }

    private Router router(String name, String firstUri, int sipPort, int adminPort) throws Exception {
        String yaml = """
                instance: router-%s
                sip: { listen: ["udp:127.0.0.1:%d"] }
                admin: { listen: "127.0.0.1:%d" }
                health: { probing: false }
                shutdown: { grace_ms: 1000 }
                store:
                  type: postgres
                  url: "%s"
                  user: %s
                  poll_interval_ms: 500
                """.formatted(name, sipPort, adminPort, url, POSTGRES.server().user());
        if (firstUri != null) {
            yaml += """
                    accounts: [ { auth_id: %s, auth_token: "%s" } ]
                    trunks: [ { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: %s, match: { default: true } } ]
                    origination_uris:
                      - { id: %s, account_id: %s, uri: "%s", weight: 10 }
                    """.formatted(ACCOUNT, TOKEN, ACCOUNT, FIRST_URI, ACCOUNT, firstUri);
        }
        Path config = dir.resolve("router-" + name + ".yaml");
        Files.writeString(config, yaml);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("router-" + name + ".log");
        Process p = sipp.start(log, java, "-Djava.net.preferIPv4Stack=true", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString());
        try {
            Await.until("router " + name + " ready", Duration.ofSeconds(60), () -> {
                if (Files.exists(log) && Files.readString(log).contains("sipvane ready")) {
                    return true;
                }
                assertThat(p.isAlive()).as("router %s running", name).isTrue();
                return false;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ", log:\n" + Sipp.tail(log), e);
        }
        return new Router(p, sipPort, adminPort);
    }

    // ---------------------------------------------------------------- API

    private HttpResponse<String> post(Router r, String path, String json) {
        return send(r, HttpRequest.newBuilder(plivo(r, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> get(Router r, String path) {
        return send(r, HttpRequest.newBuilder(plivo(r, path)).GET());
    }

    private HttpResponse<String> send(Router r, HttpRequest.Builder request) {
        String basic = Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + basic).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("API of router on admin port " + r.adminPort + ": " + e, e);
        }
    }

    private static URI plivo(Router r, String path) {
        return URI.create("http://127.0.0.1:" + r.adminPort + "/v1/Account/" + ACCOUNT + "/Zentrunk/" + path);
    }

    private int count(Router r) {
        HttpResponse<String> list = get(r, "URI/?limit=20");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        return Integer.parseInt(field(list.body(), "total_count"));
    }

    private void awaitCount(Router r, int expected) throws InterruptedException {
        Await.until("router on " + r.adminPort + " lists " + expected + " URIs", Duration.ofSeconds(10),
                () -> count(r) == expected);
    }

    private void awaitVisible(Router r, String id) throws InterruptedException {
        Await.until("router on " + r.adminPort + " sees " + id, Duration.ofSeconds(10),
                () -> get(r, "URI/" + id + "/").statusCode() == 200);
    }

    /** Creates a URI, retrying while the API still answers 503 (the database is starting). */
    private String createEventually(Router r, String uri) throws InterruptedException {
        String[] id = {null};
        Await.until("writes accepted again after the restart", Duration.ofSeconds(30), () -> {
            HttpResponse<String> created = post(r, "URI/", "{\"name\": \"after\", \"uri\": \"" + uri + "\", \"weight\": 0}");
            if (created.statusCode() == 201) {
                id[0] = field(created.body(), "uri_uuid");
                return true;
            }
            assertThat(created.statusCode()).as(created.body()).isEqualTo(503);
            return false;
        });
        return id[0];
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }

    private Stats runUac(int routerPort, int calls, String name) {
        try {
            return sipp.runUac(routerPort, calls, 100, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
