package io.sipvane.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.ConfigWriter;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    void update_journalsThenPublishes_andTheFileHasItAfterTheFold() throws Exception {
        store.close();
        store = FileConfigStore.open(file, false); // the journal stays as a crash would leave it
        String before = Files.readString(file);
        long version = store.table().current().version();

        OriginationUri added = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);

        assertThat(store.current().originationUri(added.id())).isPresent();
        assertThat(store.table().current().version()).isEqualTo(version + 1);
        assertThat(store.table().current().trunkFor("x", "1").destinations()).hasSize(2);
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(Files.size(FileConfigStore.journalOf(file))).isPositive();
        assertThat(crashImage().current().originationUri(added.id())).as("what a crash now leaves").isPresent();

        store.close();

        assertThat(ConfigLoader.load(file).originationUri(added.id())).isPresent();
        assertThat(Files.size(FileConfigStore.journalOf(file))).isZero();
    }

    @Test
    void aWrite_isFoldedIntoTheFileRightAfter() throws Exception {
        OriginationUri added = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);

        awaitFolded(added);
        assertThat(store.reload().get(10, TimeUnit.SECONDS)).as("its own fold is not an edit").isFalse();
    }

    /** Waits until the file holds {@code uri} and no record waits to be folded. */
    private void awaitFolded(OriginationUri uri) throws Exception {
        Await.until("folded: " + uri.id(), Duration.ofSeconds(30), () -> folded(uri));
    }

    private boolean folded(OriginationUri uri) throws Exception {
        return !Files.exists(JournaledFile.foldingOf(file)) && Files.size(FileConfigStore.journalOf(file)) == 0
                && ConfigLoader.load(file).originationUri(uri.id()).isPresent();
    }

    @Test
    void concurrentUpdates_loseNothing_inACrashImageOrAfterTheFold() throws Exception {
        store.close();
        store = FileConfigStore.open(file, false);
        List<CompletableFuture<OriginationUri>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int port = 6000 + i;
            writes.add(store.update(c -> add(c, port)));
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

        try (FileConfigStore crashed = crashImage()) {
            assertThat(crashed.current()).isEqualTo(store.current());
        }
        store.close();
        SipvaneConfig onDisk = ConfigLoader.load(file);
        assertThat(onDisk.originationUris()).hasSize(201);
        for (CompletableFuture<OriginationUri> w : writes) {
            assertThat(onDisk.originationUri(w.join().id())).isPresent();
        }
    }

    @Test
    void aTornLastRecord_isDropped_andEveryCompleteOneApplied() throws Exception {
        store.close();
        store = FileConfigStore.open(file, false);
        OriginationUri first = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        OriginationUri second = store.update(c -> add(c, 5073)).get(10, TimeUnit.SECONDS);
        Path image = Files.createDirectory(dir.resolve("image"));
        Files.copy(file, image.resolve("sipvane.yaml"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        byte[] journal = Files.readAllBytes(FileConfigStore.journalOf(file));
        // the second record cut short, as a crash in the middle of its append leaves it
        Files.write(FileConfigStore.journalOf(image.resolve("sipvane.yaml")), java.util.Arrays.copyOf(journal, journal.length - 5));

        try (FileConfigStore reopened = FileConfigStore.open(image.resolve("sipvane.yaml"), false)) {
            assertThat(reopened.current().originationUri(first.id())).isPresent();
            assertThat(reopened.current().originationUri(second.id())).isEmpty();
            assertThat(ConfigLoader.load(image.resolve("sipvane.yaml")).originationUri(first.id()))
                    .as("folded at open").isPresent();
        }
    }

    @Test
    void aCrashDuringAFold_replaysTheFoldingJournalThenTheJournal() throws Exception {
        store.close();
        store = FileConfigStore.open(file, false);
        OriginationUri x = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        OriginationUri y = store.update(c -> setPort(c, x, 5082)).get(10, TimeUnit.SECONDS);
        Path image = crashImageFiles(); // the file without x and y, the journal with both
        OriginationUri z = store.update(c -> setPort(c, x, 5092)).get(10, TimeUnit.SECONDS);
        byte[] third;
        try (ChangeJournal journal = ChangeJournal.open(FileConfigStore.journalOf(file))) {
            third = journal.records().get(2);
        }
        // the fold had moved the journal aside, and the write of z went to a new one
        Files.move(FileConfigStore.journalOf(image), JournaledFile.foldingOf(image));
        try (ChangeJournal journal = ChangeJournal.open(FileConfigStore.journalOf(image))) {
            journal.append(third);
        }

        try (FileConfigStore reopened = FileConfigStore.open(image, false)) {
            assertThat(reopened.current()).isEqualTo(store.current());
            assertThat(reopened.current().originationUri(z.id()).orElseThrow().uri()).isEqualTo("sip:127.0.0.1:5092");
            assertThat(reopened.current().originationUri(y.id())).isPresent();
            assertThat(JournaledFile.foldingOf(image)).doesNotExist();
            assertThat(ConfigLoader.load(image)).isEqualTo(reopened.current());
        }
    }

    @Test
    void aCrashAfterTheFoldSavedTheFile_replaysItsRecordsHarmlessly() throws Exception {
        store.close();
        store = FileConfigStore.open(file, false);
        OriginationUri x = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        store.update(c -> setPort(c, x, 5082)).get(10, TimeUnit.SECONDS);
        store.update(c -> new ConfigStore.Change<>(c.withoutOriginationUri(x.id()), null)).get(10, TimeUnit.SECONDS);
        store.update(c -> add(c, 5073)).get(10, TimeUnit.SECONDS);
        Path image = crashImageFiles();
        // the file already holds every record, and the folding journal was not deleted yet
        Files.move(FileConfigStore.journalOf(image), JournaledFile.foldingOf(image));
        ConfigWriter.save(ConfigWriter.toYaml(store.current()), image);

        try (FileConfigStore reopened = FileConfigStore.open(image, false)) {
            assertThat(reopened.current()).isEqualTo(store.current());
            assertThat(reopened.current().originationUri(x.id())).isEmpty();
        }
    }

    static ConfigStore.Change<OriginationUri> setPort(SipvaneConfig config, OriginationUri uri, int port) {
        OriginationUri u = config.originationUri(uri.id()).orElseThrow();
        OriginationUri moved = new OriginationUri(u.id(), u.accountId(), u.trunkId(), u.name(), "sip:127.0.0.1:" + port, null,
                u.priority(), u.weight(), u.enabled(), null, false, null, null, u.createdAt(), u.updatedAt());
        return new ConfigStore.Change<>(config.withOriginationUri(moved), moved);
    }

    @Test
    void aFoldThatCannotSave_keepsItsRecords_andALaterFoldSavesThem() throws Exception {
        Path aside = dir.resolve("aside.yaml");
        Files.move(file, aside);
        Files.createDirectories(file.resolve("in-the-way")); // the rename over the file fails

        OriginationUri x = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        store.reload().get(10, TimeUnit.SECONDS); // runs after the fold has ended

        assertThat(JournaledFile.foldingOf(file)).exists();
        try (FileConfigStore crashed = FileConfigStore.open(imageOf(aside, file), false)) {
            assertThat(crashed.current().originationUri(x.id())).as("what a crash now leaves").isPresent();
        }
        Files.delete(file.resolve("in-the-way"));
        Files.delete(file);
        Files.move(aside, file);
        OriginationUri y = store.update(c -> add(c, 5073)).get(10, TimeUnit.SECONDS);

        awaitFolded(y);
        assertThat(ConfigLoader.load(file).originationUri(x.id())).isPresent();
    }

    /** A crash image made of {@code config} as the file and the journals of {@code journalsOf}. */
    private Path imageOf(Path config, Path journalsOf) throws Exception {
        Path image = Files.createTempDirectory(dir, "image").resolve("sipvane.yaml");
        Files.copy(config, image, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(JournaledFile.foldingOf(journalsOf), JournaledFile.foldingOf(image));
        Files.copy(FileConfigStore.journalOf(journalsOf), FileConfigStore.journalOf(image));
        return image;
    }

    @Test
    void aJournalThatNoLongerFitsTheFile_stopsTheStartAndNamesIt() throws Exception {
        store.close();
        store = FileConfigStore.open(file, false);
        store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        Path image = crashImageFiles();
        // edited by hand after the crash: the account the journaled URI belongs to is gone
        Files.writeString(image, "accounts: []\n");

        assertThatThrownBy(() -> FileConfigStore.open(image, false))
                .isInstanceOf(io.sipvane.core.config.ConfigException.class)
                .hasMessageContaining("change 1 of 1 in " + FileConfigStore.journalOf(image))
                .hasMessageContaining("unknown account MAONE000000000000000");
    }

    @Test
    void anEditByHand_getsTheApiChangesNotYetFolded() throws Exception {
        store.close();
        store = FileConfigStore.open(file, false);
        OriginationUri added = store.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);

        Files.writeString(file, CONFIG.replace("5071", "5081"));
        assertThat(store.reload().get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(store.current().originationUris()).extracting(OriginationUri::uri)
                .containsExactly("sip:127.0.0.1:5081", added.uri());
        assertThat(ConfigLoader.load(file)).isEqualTo(store.current());
        assertThat(Files.size(FileConfigStore.journalOf(file))).isZero();
    }

    /** A store opened from a copy of the file and the journal as they are now: what a crash leaves. */
    private FileConfigStore crashImage() throws Exception {
        return FileConfigStore.open(crashImageFiles(), false);
    }

    private Path crashImageFiles() throws Exception {
        Path image = Files.createTempDirectory(dir, "image");
        // as the disk has them: the file's time stamps objects written by hand without one
        Files.copy(file, image.resolve("sipvane.yaml"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(FileConfigStore.journalOf(file), FileConfigStore.journalOf(image.resolve("sipvane.yaml")));
        return image.resolve("sipvane.yaml");
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
        Await.until("the edit reloaded: " + uri, Duration.ofSeconds(30),
                () -> store.current().originationUris().get(0).uri().equals(uri));
    }
}
