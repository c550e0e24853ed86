package io.sipvane.server;

import static io.sipvane.sip.testing.Sipp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.Sipp.Stats;
import io.sipvane.sip.testing.Sipp.Uas;
import io.sipvane.sip.testing.TestUa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router as its own process with the shipped {@code logback.xml} in JSON format, after a
 * SIPp run: the per-call log line, {@code /metrics} against the Grafana dashboard, an unused
 * URI, and SIGHUP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest {
    private static final String ACCOUNT = "MAOPERATIONS00000001";
    private static final String UNUSED = "aabbccdd-0000-4000-8000-000000000009";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private Sipp sipp;
    private Process router;
    private Path log;
    private Path config;
    private int adminPort;
    private String yaml;

    @BeforeAll
    void startRouterAndRunCalls() throws Exception {
        sipp = new Sipp(dir);
        Uas a = sipp.uas("a", "uas_rr.xml");
        Uas busy = sipp.uas("busy", "uas_503.xml");
        int port = TestUa.freePort();
        config = dir.resolve("sipvane.yaml");
        yaml = """
                sip:
                  listen: ["udp:127.0.0.1:%d"]
                admin: { listen: "127.0.0.1:0", metrics_token: "scrape-me" }
                health: { probing: false }
                accounts: [ { auth_id: %s, auth_token: "t" } ]
                trunks: [ { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: %s, name: ops-trunk, match: { default: true } } ]
                origination_uris:
                  - { id: aabbccdd-0000-4000-8000-000000000001, account_id: %s, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: PBX busy, uri: "%s", priority: 1 }
                  - { id: aabbccdd-0000-4000-8000-000000000002, account_id: %s, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: PBX A, uri: "%s", priority: 2 }
                  - { id: %s, account_id: %s, name: nobody's, uri: "sip:127.0.0.1:9" }
                """.formatted(port, ACCOUNT, ACCOUNT, ACCOUNT, busy.uri(), ACCOUNT, a.uri(), UNUSED, ACCOUNT);
        Files.writeString(config, yaml);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        log = dir.resolve("router.log");
        // env --default-signal=HUP: a build started under nohup passes SIGHUP on ignored, and the JVM
        // then never installs the router's handler (Main warns about it); the test needs the signal
        router = sipp.start(log, "env", "--default-signal=HUP", java, "-Djava.net.preferIPv4Stack=true", "-Dlogback.configurationFile=logback.xml",
                "-DSIPVANE_LOG_FORMAT=json", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--config", config.toString());
        await("router ready, log:\n" + Sipp.tail(log), () -> {
            assertThat(router.isAlive()).as("router running, log:\n" + Sipp.tail(log)).isTrue();
            return read(log).contains("sipvane ready");
        });
        Matcher m = Pattern.compile("admin API listening on 127\\.0\\.0\\.1:(\\d+)").matcher(read(log));
        assertThat(m.find()).isTrue();
        adminPort = Integer.parseInt(m.group(1));
        Stats uac = sipp.runUac(port, 5, 50);
        assertThat(uac.get("SuccessfulCall(C)")).isEqualTo(5);
        await("5 call lines logged", () -> callLines().size() >= 5);
    }

    @AfterAll
    void stop() throws Exception {
        if (router != null) {
            router.destroy();
            router.waitFor(30, TimeUnit.SECONDS);
        }
        sipp.close();
    }

    @Test
    void everyLogLineIsJson_andEachCallHasOneLineNamingItsAttempts() throws Exception {
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                try {
                    assertThat(JSON.readTree(line).has("level")).as(line).isTrue();
                } catch (java.io.IOException e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }
        }
        List<JsonNode> calls = callLines();
        assertThat(calls).hasSize(5);
        String message = calls.get(0).get("formattedMessage").asText();
        assertThat(message).contains("trunk 7f0c1f5e-0000-4000-8000-000000000001 \"ops-trunk\"").contains(": answered 200")
                .contains("2 attempt(s): 1. aabbccdd-0000-4000-8000-000000000001 \"PBX busy\"").contains(" 503 ")
                .contains("2. aabbccdd-0000-4000-8000-000000000002 \"PBX A\"").contains(" 200 ")
                .containsPattern("post-dial delay \\d+ms");
        assertThat(calls.get(0).get("kvpList").toString()).contains("call_id").contains("\"outcome\":\"answered\"");
    }

    @Test
    void dashboardUsesOnlyMetricsTheRouterExports() throws Exception {
        String metrics = get("/metrics", "Bearer scrape-me");
        Set<String> exported = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        JsonNode dashboard = JSON.readTree(Path.of("../docs/grafana/sipvane.json").toFile());
        Set<String> used = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = Pattern.compile("\\bsipvane_[a-z_]+").matcher(expr.asText());
            while (m.find()) {
                used.add(m.group());
            }
        }
        for (JsonNode query : dashboard.findValues("definition")) {
            Matcher m = Pattern.compile("\\bsipvane_[a-z_]+").matcher(query.asText());
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).contains("sipvane_calls_total", "sipvane_attempts_total", "sipvane_destination_up",
                "sipvane_post_dial_delay_seconds_bucket", "sipvane_calls_in_flight", "sipvane_failovers_total");
        assertThat(exported).as("metrics the router exports").containsAll(used);
        assertThat(metrics).contains("sipvane_post_dial_delay_seconds_bucket{trunk=\"7f0c1f5e-0000-4000-8000-000000000001\",le=");
    }

    @Test
    void unusedUriIsShownUnused_hasNoUpSeries_andIsNamedInAWarning() throws Exception {
        String uri = get("/v1/Account/" + ACCOUNT + "/Zentrunk/URI/" + UNUSED + "/", null);
        assertThat(JSON.readTree(uri).get("state").asText()).isEqualTo("unused");
        assertThat(get("/metrics", "Bearer scrape-me")).doesNotContain(UNUSED)
                .contains("sipvane_destination_up{destination=\"aabbccdd-0000-4000-8000-000000000001\"");
        assertThat(read(log)).contains("origination URI(s) used by no trunk").contains(UNUSED + " \\\"nobody's\\\"");
    }

    @Test
    void sighupReloads_appliesAValidFile_andKeepsTheRunningConfigOnAnInvalidOne() throws Exception {
        Files.writeString(config, yaml.replace("name: PBX A,", "name: PBX A2,"));
        hup();
        await("renamed URI applied", () -> get("/v1/Account/" + ACCOUNT + "/Zentrunk/URI/aabbccdd-0000-4000-8000-000000000002/", null)
                .contains("PBX A2"));
        // the log goes through an asynchronous appender: wait for the line rather than read it at once
        try {
            await("the reload logged", () -> read(log).contains("(SIGHUP)"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrouter alive: " + router.isAlive() + ", its log:\n" + Sipp.tail(log)
                    + "\nits threads:\n" + threadDump(), e);
        }
        Files.writeString(config, yaml.replace("priority: 2", "priority: -2"));
        int before = count(read(log), "the running configuration stays");
        hup();
        await("invalid file reported", () -> count(read(log), "the running configuration stays") > before);
        assertThat(router.isAlive()).isTrue();
        assertThat(get("/v1/Account/" + ACCOUNT + "/Zentrunk/URI/aabbccdd-0000-4000-8000-000000000002/", null)).contains("PBX A2");
        Files.writeString(config, yaml);
    }

    @Test
    void startedWithSighupIgnored_saysThatASignalWillNotReload() throws Exception {
        Path quiet = Files.writeString(dir.resolve("quiet.yaml"), "sip:\n  listen: [\"udp:127.0.0.1:" + TestUa.freePort()
                + "\"]\nadmin: { listen: \"127.0.0.1:0\" }\nhealth: { probing: false }\n");
        Path quietLog = dir.resolve("quiet.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // as nohup starts it: SIGHUP ignored before the JVM starts, which the JVM then keeps
        Process ignoring = sipp.start(quietLog, "sh", "-c", "trap '' HUP; exec \"$0\" \"$@\"", java,
                "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--config", quiet.toString());
        try {
            await("the warning, log:\n" + Sipp.tail(quietLog), () -> read(quietLog).contains("sipvane ready"));
            assertThat(read(quietLog)).contains("SIGHUP is ignored in this process").contains("kill -HUP will not reload");
            assertThat(read(log)).as("the router of the other tests, started with SIGHUP handled").doesNotContain("SIGHUP is ignored");
        } finally {
            ignoring.destroy();
            ignoring.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void anApiWriteIsLoggedWithAccountMethodIdAndTheFieldsChanged_neverASecret() throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/v1/Account/" + ACCOUNT
                        + "/Zentrunk/URI/" + UNUSED + "/"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((ACCOUNT + ":t").getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"spare\", \"authentication_needed\": true, \"username\": \"u\", \"password\": \"s3cret-pw\"}"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        await("the write logged", () -> read(log).contains("api POST (update) origination_uri " + UNUSED));
        String line = read(log).lines().filter(l -> l.contains("api POST (update) origination_uri " + UNUSED)).findFirst().orElseThrow();
        assertThat(line).contains("by account " + ACCOUNT).contains("name: nobody's -> spare")
                .contains("authentication_needed: false -> true").contains("password changed");
        assertThat(read(log)).doesNotContain("s3cret-pw");
    }

    /** The router's threads as {@code jcmd Thread.print} shows them, to tell where a missing log line is stuck. */
    private String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(router.pid()), "Thread.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private void hup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(router.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private List<JsonNode> callLines() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : read(log).split("\n")) {
            if (line.contains("\"io.sipvane.calls\"")) {
                try {
                    out.add(JSON.readTree(line));
                } catch (java.io.IOException e) {
                    throw new AssertionError(line, e);
                }
            }
        }
        return out;
    }

    private String get(String path, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path));
            b.header("Authorization", authorization != null ? authorization
                    : "Basic " + java.util.Base64.getEncoder().encodeToString((ACCOUNT + ":t").getBytes()));
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
