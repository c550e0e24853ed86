package io.sipvane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No acknowledged write is lost: a server process is killed with SIGKILL while four clients
 * create URIs as fast as they can; the store opened again from the file and its journal must
 * hold every URI whose creation was answered 201, and fold them into the file.
 */
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void killDashNine_duringConcurrentWrites_losesNoAcknowledgedWrite() throws Exception {
        Path file = dir.resolve("sipvane.yaml");
        Files.writeString(file, AdminFixture.CONFIG);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.net.preferIPv4Stack=true", CrashTarget.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        ConcurrentLinkedQueue<UUID> acknowledged = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            int port = readPort(server);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString(
                    (AdminFixture.ONE + ":" + AdminFixture.ONE_TOKEN).getBytes(StandardCharsets.UTF_8));
            AtomicBoolean stop = new AtomicBoolean();
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int i = 0; !stop.get() && i < 10_000; i++) {
                        HttpRequest request = HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/v1/Account/" + AdminFixture.ONE + "/Zentrunk/URI/"))
                                .timeout(Duration.ofSeconds(10)).header("Authorization", auth)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\": \"c" + client + "-" + i + "\", \"uri\": \"sip:127.0.0.1:" + (6000 + i % 50000) + "\"}"))
                                .build();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 201) {
                                String id = Json.MAPPER.readTree(response.body()).get("uri_uuid").asText();
                                acknowledged.add(UUID.fromString(id));
                            }
                        } catch (Exception e) {
                            return; // the server is gone
                        }
                    }
                });
            }
            Await.until("150 writes acknowledged", Duration.ofSeconds(60), () -> acknowledged.size() >= 150);
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            server.waitFor(30, TimeUnit.SECONDS);
            stop.set(true);
        } finally {
            server.destroyForcibly();
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }

        List<UUID> acked = List.copyOf(acknowledged);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(150);
        Path journal = io.sipvane.core.store.FileConfigStore.journalOf(file);
        Path folding = io.sipvane.core.store.FileConfigStore.foldingJournalOf(file); // a fold the kill interrupted
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> !p.equals(file) && !p.equals(journal) && !p.equals(folding))
                    .filter(p -> !p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
        // the kill may land while records wait to be folded (then reopening replays them) or between
        // two folds; ConfigStoreTest replays crash images of every such state deterministically
        try (var store = io.sipvane.core.store.ConfigStore.open(file)) {
            for (UUID id : acked) {
                assertThat(store.current().originationUri(id)).as("acknowledged URI %s", id).isPresent();
            }
            try (var files = Files.list(dir)) {
                // reopening removes a temp file the kill left behind, and folds the journals into the file
                assertThat(files).containsExactlyInAnyOrder(file, journal);
            }
            assertThat(Files.size(journal)).isZero();
        }
        SipvaneConfig survived = ConfigLoader.load(file);
        for (UUID id : acked) {
            assertThat(survived.originationUri(id)).as("acknowledged URI %s, in the file", id).isPresent();
        }
    }

    private static int readPort(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (java.io.IOException e) {
                        // process gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new AssertionError("the server process exited before listening");
    }
}
