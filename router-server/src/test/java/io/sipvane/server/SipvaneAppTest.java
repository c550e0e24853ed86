package io.sipvane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.testing.Await;
import io.sipvane.sip.testing.PrometheusText;
import io.sipvane.sip.testing.TestUa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole router as {@code Main} starts it: an API write and an edit of the file by hand
 * both change where the next call goes.
 */
class SipvaneAppTest {
    private static final long WAIT = 20_000;

    @TempDir
    Path dir;

    @Test
    void apiWritesAndHandEditsRouteTheNextCall() throws Exception {
        int sipPort = TestUa.freePort();
        Path file = dir.resolve("sipvane.yaml");
        Files.writeString(file, """
                sip:
                  listen: ["udp:127.0.0.1:%d"]
                  allow_from: ["127.0.0.0/8"]
                admin:
                  listen: "127.0.0.1:0"
                accounts:
                  - auth_id: MAAPP000000000000000
                    auth_token: "app-token"
                trunks:
                  - id: 7f0c1f5e-0000-4000-8000-000000000001
                    account_id: MAAPP000000000000000
                    name: inbound
                    match: { default: true }
                origination_uris: []
                """.formatted(sipPort));
        try (TestUa pbx = TestUa.start("pbx"); TestUa caller = TestUa.start("caller");
                Sipvane app = Main.boot(new String[] {"--config", file.toString()})) {
            String callee = "sip:+14155550100@127.0.0.1:" + sipPort;
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.adminPort();

            assertThat(caller.invite(callee, sipPort, "udp").awaitFinal().getStatusCode()).isEqualTo(503);

            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/Account/MAAPP000000000000000/Zentrunk/URI/"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("MAAPP000000000000000:app-token".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"pbx\", \"uri\": \"" + pbx.uri() + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            Response answered = caller.invite(callee, sipPort, "udp").awaitFinal();
            assertThat(answered.getStatusCode()).isEqualTo(200);
            assertThat(pbx.await(Request.INVITE, WAIT)).isNotNull();

            // disable it by hand: the file watcher reloads and the next call has nowhere to go
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // the store folds its journal into the file right after the write
            Await.until("the write folded into the file", Duration.ofNanos(deadline - System.nanoTime()),
                    () -> Files.readString(file).contains(pbx.uri()));
            String edited = Files.readString(file).replace("enabled: true", "enabled: false");
            assertThat(edited).contains(pbx.uri()).contains("enabled: false");
            Files.writeString(file, edited);
            Await.until("the edit reloaded", Duration.ofNanos(deadline - System.nanoTime()),
                    () -> !app.store().current().originationUris().get(0).enabled());
            assertThat(app.store().current().originationUris().get(0).enabled()).isFalse();
            assertThat(caller.invite(callee, sipPort, "udp").awaitFinal().getStatusCode()).isEqualTo(503);

            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            var metrics = PrometheusText.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(PrometheusText.value(metrics, "sipvane_calls_total", "trunk", "7f0c1f5e-0000-4000-8000-000000000001", "outcome", "answered")).isEqualTo(1);
            assertThat(PrometheusText.value(metrics, "sipvane_calls_total", "trunk", "7f0c1f5e-0000-4000-8000-000000000001", "outcome", "no_route")).isEqualTo(2);
            assertThat(PrometheusText.value(metrics, "sipvane_attempts_total", "class", "2xx")).isEqualTo(1);
            assertThat(PrometheusText.value(metrics, "sipvane_calls_in_flight")).isZero();
            assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("sipvane_destination_up{"));
            assertThat(metrics).containsKey("sipvane_routing_decision_seconds_count");
            assertThat(PrometheusText.value(metrics, "jvm_memory_used_bytes")).isPositive();
        }
    }
}
