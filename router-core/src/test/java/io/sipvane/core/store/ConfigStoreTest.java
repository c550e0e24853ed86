package io.sipvane.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {
    static final String CONFIG = """
            accounts:
              - auth_id: MAONE000000000000000
                auth_token: "t"
            trunks:
              - id: 7f0c1f5e-0000-4000-8000-000000000001
                account_id: MAONE000000000000000
                match: { default: true }
            origination_uris:
              - id: aabbccdd-1234-5678-90ab-cdef12345678
                account_id: MAONE000000000000000
                uri: "sip:127.0.0.1:5071"
            """;

    @TempDir
    Path dir;
    Path file;
    ConfigStore store;

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("sipvane.yaml");
        Files.writeString(file, CONFIG);
        store = ConfigStore.open(file);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static ConfigStore.Change<OriginationUri> add(SipvaneConfig config, int port) {
        OriginationUri uri = OriginationUri.of(UUID.randomUUID(), "MAONE000000000000000", null, "sip:127.0.0.1:" + port, 1, 10);
        List<OriginationUri> uris = new ArrayList<>(config.originationUris());
        uris.add(uri);
        return new ConfigStore.Change<>(config.withOriginationUris(uris), uri);
    }

    @Test
    void open_stampsMissingTimestampsWithTheFilesTime() {
        OriginationUri uri = store.current().originationUris().get(0);

        assertThat(uri.createdAt()).isNotNull().isEqualTo(uri.updatedAt());
        assertThat(store.current().trunks().get(0).createdAt()).isEqualTo(uri.createdAt());
    }

    @Test
    void update_savesThenPublishes() throws Exception {
        long version = store.table().current().version();

        OriginationUri added = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);

        assertThat(ConfigLoader.load(file).originationUri(added.id())).isPresent();
        assertThat(store.current().originationUri(added.id())).isPresent();
        assertThat(store.table().current().version()).isEqualTo(version + 1);
        assertThat(store.table().current().trunkFor("x", "1").destinations()).hasSize(2);
    }

    @Test
    void concurrentUpdates_loseNothing() throws Exception {
        List<CompletableFuture<OriginationUri>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int port = 6000 + i;
            writes.add(store.update(c -> add(c, port)));
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

        SipvaneConfig onDisk = ConfigLoader.load(file);
        assertThat(onDisk.originationUris()).hasSize(201);
        for (CompletableFuture<OriginationUri> w : writes) {
            assertThat(onDisk.originationUri(w.join().id())).isPresent();
        }
    }

    @Test
    void aRefusedChange_changesNothing() throws Exception {
        String before = Files.readString(file);
        long version = store.table().current().version();

        CompletableFuture<Object> refused = store.update(c -> {
            throw new IllegalArgumentException("priority: 0 (expected: >= 1)");
        });

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(store.table().current().version()).isEqualTo(version);
    }

    @Test
    void anEditByHand_isReloaded_andAnInvalidOneKeepsTheRunningConfig() throws Exception {
        store.watch();
        long version = store.table().current().version();

        Files.writeString(file, CONFIG.replace("5071", "5081"));
        awaitUri("sip:127.0.0.1:5081");
        assertThat(store.table().current().version()).isGreaterThan(version);

        long good = store.table().current().version();
        Files.writeString(file, CONFIG.replace("5071", "5081").replace("uri: ", "uri: [broken"));
        assertThat(store.reload().get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(store.table().current().version()).isEqualTo(good);
        assertThat(store.current().originationUris().get(0).uri()).isEqualTo("sip:127.0.0.1:5081");
    }

    @Test
    void ownWritesAreNotReloaded() throws Exception {
        store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        long version = store.table().current().version();

        assertThat(store.reload().get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(store.table().current().version()).isEqualTo(version);
    }

    private void awaitUri(String uri) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (store.current().originationUris().get(0).uri().equals(uri)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the edit was not reloaded: " + store.current().originationUris());
    }
}
