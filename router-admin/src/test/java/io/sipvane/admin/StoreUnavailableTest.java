package io.sipvane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sipvane.core.config.AdminSettings;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.core.store.ConfigStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store whose database is down: writes answer 503 with Retry-After, reads are served. */
class StoreUnavailableTest {

    /** The file store for reads; every write fails as the PostgreSQL store's do during an outage. */
    private record DownStore(ConfigStore reads) implements ConfigStore {
        @Override
        public SipvaneConfig current() {
            return reads.current();
        }

        @Override
        public RoutingTable table() {
            return reads.table();
        }

        @Override
        public <R> CompletableFuture<R> update(Function<SipvaneConfig, Change<R>> change) {
            return CompletableFuture.failedFuture(new StoreUnavailableException(
                    "the store database is unavailable (Connection refused)", 7, null));
        }

        @Override
        public CompletableFuture<Boolean> reload() {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public void watch() {}

        @Override
        public String describe() {
            return "down";
        }

        @Override
        public void close() {
            reads.close();
        }
    }

    @Test
    void writes_answer503WithRetryAfter_readsAreServed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sipvane.yaml");
        Files.writeString(file, AdminFixture.CONFIG);
        try (ConfigStore store = new DownStore(ConfigStore.open(file));
                AdminServer server = new AdminServer(new AdminSettings("127.0.0.1", 0), store,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true)) {
            String base = "http://127.0.0.1:" + server.start() + "/v1/Account/" + AdminFixture.ONE + "/Zentrunk/";
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (AdminFixture.ONE + ":" + AdminFixture.ONE_TOKEN).getBytes(StandardCharsets.UTF_8));
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(base + "URI/"))
                    .header("Authorization", basic).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"uri\": \"sip:127.0.0.1:5071\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(base + "Trunk/"))
                    .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(write.statusCode()).isEqualTo(503);
            assertThat(write.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(write.body()).contains("the store database is unavailable (Connection refused)")
                    .contains("nothing was changed");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains(AdminFixture.TRUNK);
        }
    }
}
