package io.sipvane.admin;

import io.sipvane.core.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sipvane.core.store.ConfigStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** A store on a real file and the admin server on a loopback port, with an HTTP client. */
final class AdminFixture implements AutoCloseable {
    static final String ONE = "MAONE000000000000000";
    static final String ONE_TOKEN = "token-one";
    static final String TWO = "MATWO000000000000000";
    static final String TWO_TOKEN = "token-two";
    static final String TRUNK = "7f0c1f5e-0000-4000-8000-000000000001";
    static final String CONFIG = """
            sip:
              listen: ["udp:127.0.0.1:5060"]
            admin:
              listen: "127.0.0.1:0"
            accounts:
              - auth_id: MAONE000000000000000
                auth_token: "token-one"
              - auth_id: MATWO000000000000000
                auth_token: "token-two"
            trunks:
              - id: 7f0c1f5e-0000-4000-8000-000000000001
                account_id: MAONE000000000000000
                name: inbound
                match: { default: true }
            origination_uris: []
            """;

    final Path file;
    final ConfigStore store;
    final AdminServer server;
    final String base;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    AdminFixture(Path dir) throws Exception {
        this(dir, CONFIG);
    }

    /** The API's clock: tests move it instead of waiting for time to pass. */
    final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-30T10:00:00Z"));

    AdminFixture(Path dir, String config) throws Exception {
        file = dir.resolve("sipvane.yaml");
        if (!Files.exists(file)) {
            Files.writeString(file, config);
        }
        store = ConfigStore.open(file);
        server = new AdminServer(store.current().admin(), store,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true, id -> "up", clock);
        base = "http://127.0.0.1:" + server.start();
    }

    /** A request with Plivo-style Basic credentials of account one. */
    HttpRequest.Builder plivo(String path) {
        return basic(path, ONE, ONE_TOKEN);
    }

    HttpRequest.Builder basic(String path, String user, String token) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + credentials);
    }

    /** A request with Vobiz-style headers of account one. */
    HttpRequest.Builder vobiz(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("X-Auth-ID", ONE).header("X-Auth-Token", ONE_TOKEN);
    }

    static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.build();
        HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.check(built.method(), built.uri(), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
        return new Reply(response);
    }

    Reply post(HttpRequest.Builder request, String body) throws IOException, InterruptedException {
        return send(request.header("Content-Type", "application/json").POST(json(body)));
    }

    Reply put(HttpRequest.Builder request, String body) throws IOException, InterruptedException {
        return send(request.header("Content-Type", "application/json").PUT(json(body)));
    }

    @Override
    public void close() {
        server.stop();
        store.close();
    }

    record Reply(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }
}
