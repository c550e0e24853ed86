package io.sipvane.store.postgres;

import static io.sipvane.store.postgres.StoreFixtures.ACCOUNT;
import static io.sipvane.store.postgres.StoreFixtures.FIRST_URI;
import static io.sipvane.store.postgres.StoreFixtures.add;
import static io.sipvane.store.postgres.StoreFixtures.await;
import static io.sipvane.store.postgres.StoreFixtures.config;
import static io.sipvane.store.postgres.StoreFixtures.setWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.store.ConfigStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Two routers' stores on one real PostgreSQL database. */
class PostgresStoreTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);

    private String url;
    private final List<PostgresStore> opened = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        url = POSTGRES.server().createDatabase();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(PostgresStore::close);
    }

    private PostgresStore open(boolean withData) throws Exception {
        PostgresStore store = PostgresStore.open(config(url, POSTGRES.server().user(), withData), CLOCK);
        opened.add(store);
        store.watch();
        await("the store follows the database", 10_000, store::following);
        return store;
    }

    @Test
    void open_emptyDatabase_importsTheFileOnce_everyFieldRoundTrips() throws Exception {
        SipvaneConfig file = config(url, POSTGRES.server().user(), true);
        PostgresStore first = open(true);

        assertThat(first.version()).isEqualTo(1);
        OriginationUri imported = first.current().originationUri(FIRST_URI).orElseThrow();
        OriginationUri expected = file.originationUris().get(0).stampedIfMissing(CLOCK.instant());
        assertThat(imported).usingRecursiveComparison().isEqualTo(expected);
        assertThat(imported.password()).isEqualTo("p");
        assertThat(first.current().trunks()).usingRecursiveComparison()
                .isEqualTo(file.trunks().stream().map(t -> t.stampedIfMissing(CLOCK.instant())).toList());
        assertThat(first.current().accounts()).isEqualTo(file.accounts());
        assertThat(first.table().current().trunkFor("x", "14155550100").destinations()).hasSize(1);

        // the database is the truth from now on: a router whose file lists other data ignores it
        first.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        PostgresStore second = open(true);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.current().originationUris()).hasSize(2);
    }

    @Test
    void open_emptyDatabaseAndFile_startsEmpty() throws Exception {
        PostgresStore store = open(false);

        assertThat(store.version()).isZero();
        assertThat(store.current().hasTenantData()).isFalse();
    }

    @Test
    void write_throughOneRouter_reachesTheOthersTable() throws Exception {
        PostgresStore a = open(true);
        PostgresStore b = open(false);
        long tableVersion = b.table().current().version();

        OriginationUri added = a.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);

        // the table is what calls read: wait for the write there (the store's config goes first)
        await("router B routes with the write", 5_000,
                () -> b.table().current().config().originationUri(added.id()).isPresent());
        assertThat(b.current().originationUri(added.id())).isPresent();
        assertThat(b.table().current().version()).isEqualTo(tableVersion + 1);
        assertThat(b.table().current().trunkFor("x", "14155550100").destinations()).hasSize(2);
        assertThat(b.version()).isEqualTo(a.version()).isEqualTo(2);
    }

    @Test
    void everyKindOfWrite_reachesTheOtherRouterAsTheChangesSince_equalToAFullRead() throws Exception {
        PostgresStore a = open(true);
        PostgresStore b = open(false);

        OriginationUri one = a.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        OriginationUri two = a.update(c -> add(c, 5073)).get(10, TimeUnit.SECONDS);
        a.update(c -> setWeight(c, one.id(), 3)).get(10, TimeUnit.SECONDS);
        a.update(c -> new ConfigStore.Change<>(c.withoutOriginationUri(one.id()), null)).get(10, TimeUnit.SECONDS);
        a.update(c -> new ConfigStore.Change<>(c.withOriginationUri(unattached(two)), null)).get(10, TimeUnit.SECONDS);
        a.update(c -> {
            Trunk t = c.trunks().get(0);
            Trunk renamed = new Trunk(t.id(), t.accountId(), "renamed", t.direction(), t.match(), t.failover(), t.health(),
                    t.primaryUriId(), t.fallbackUriId(), t.createdAt(), t.updatedAt());
            return new ConfigStore.Change<>(c.withTrunks(List.of(renamed)), null);
        }).get(10, TimeUnit.SECONDS);

        await("router B has every write", 5_000, () -> b.version() == a.version());
        assertThat(a.version()).isEqualTo(7);
        assertThat(b.current()).isEqualTo(a.current());
        TenantData full;
        try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "")) {
            full = TenantReader.read(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT version, table_name, id FROM removed_rows")) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        .containsExactly(5L, "origination_uris", one.id().toString());
                assertThat(rs.next()).isFalse();
            }
        }
        assertThat(b.current().accounts()).isEqualTo(full.accounts());
        assertThat(b.current().trunks()).isEqualTo(full.trunks()).extracting(Trunk::name).containsExactly("renamed");
        assertThat(b.current().originationUris()).isEqualTo(full.originationUris());
        assertThat(b.current().unattachedUris(ACCOUNT)).extracting(OriginationUri::id).containsExactly(two.id());
        assertThat(b.table().current().trunkFor("x", "14155550100").destinations()).extracting(d -> d.id())
                .containsExactly(FIRST_URI);
    }

    @Test
    void aRouterFurtherBehindThanTheKeptRemovals_readsEverything_andOldRemovalsAreForgotten() throws Exception {
        PostgresStore a = open(true);
        OriginationUri added = a.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "");
                Statement s = c.createStatement()) {
            // a removal whose record is gone: only a read of everything can see it
            s.execute("DELETE FROM origination_uris WHERE id = '" + added.id() + "'");
            s.execute("DELETE FROM removed_rows");
            s.execute("UPDATE store_version SET version = version + 5000");
        }

        await("the router reads everything", 5_000, () -> a.current().originationUri(added.id()).isEmpty());
        assertThat(a.version()).isEqualTo(5002);

        OriginationUri second = a.update(c -> add(c, 5073)).get(10, TimeUnit.SECONDS);
        a.update(c -> new ConfigStore.Change<>(c.withoutOriginationUri(second.id()), null)).get(10, TimeUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "");
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO removed_rows VALUES (3000, 'origination_uris', 'forgotten')");
            s.execute("UPDATE store_version SET version = version + 1");
        }
        a.update(c -> add(c, 5074)).get(10, TimeUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, id FROM removed_rows ORDER BY version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(5004);
            assertThat(rs.getString(2)).isEqualTo(second.id().toString());
            assertThat(rs.next()).as("removals older than 1,000 versions are dropped").isFalse();
        }
    }

    private static OriginationUri unattached(OriginationUri u) {
        return new OriginationUri(u.id(), u.accountId(), null, u.name(), u.uri(), null, u.priority(), u.weight(), u.enabled(),
                u.transport(), u.authenticationNeeded(), u.username(), u.password(), u.createdAt(), u.updatedAt());
    }

    @Test
    void concurrentWrites_throughBothRouters_loseNothing() throws Exception {
        PostgresStore a = open(true);
        PostgresStore b = open(false);
        int perRouter = 25;

        List<CompletableFuture<OriginationUri>> writes = new ArrayList<>();
        for (int i = 0; i < perRouter; i++) {
            writes.add(a.update(c -> add(c, 6000)));
            writes.add(b.update(c -> add(c, 7000)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        long expected = 1 + 2L * perRouter;
        await("both routers converge", 5_000, () -> a.version() == expected && b.version() == expected);
        assertThat(a.current().originationUris()).hasSize(1 + 2 * perRouter);
        assertThat(b.current().originationUris()).isEqualTo(a.current().originationUris());
        try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM origination_uris")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1 + 2 * perRouter);
        }
    }

    @Test
    void concurrentUpdates_ofTheSameObject_areSerialized_theLastCommittedWins() throws Exception {
        PostgresStore a = open(true);
        PostgresStore b = open(false);

        // each write reads the committed weight inside its transaction and adds to it: a lost
        // update would show as a sum below the number of writes
        List<CompletableFuture<OriginationUri>> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PostgresStore via = i % 2 == 0 ? a : b;
            writes.add(via.update(c -> setWeight(c, FIRST_URI, c.originationUri(FIRST_URI).orElseThrow().weight() + 1)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        await("both routers converge", 5_000, () -> a.version() == 21 && b.version() == 21);
        assertThat(a.current().originationUri(FIRST_URI).orElseThrow().weight()).isEqualTo(10 + 20);
        assertThat(b.current().originationUri(FIRST_URI).orElseThrow().weight()).isEqualTo(10 + 20);
    }

    @Test
    void refusedChange_changesNothing_andTheErrorReachesTheCaller() throws Exception {
        PostgresStore a = open(true);

        CompletableFuture<Object> refused = a.update(c -> {
            throw new IllegalArgumentException("weight: -1 (expected: 0..65535)");
        });

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight: -1");
        assertThat(a.version()).isEqualTo(1);
        // the writer's connection is still good
        assertThat(a.update(c -> add(c, 5072)).get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(a.version()).isEqualTo(2);
    }

    @Test
    void unchangedConfig_writesNothing() throws Exception {
        PostgresStore a = open(true);

        String value = a.update(c -> new ConfigStore.Change<>(c, "same")).get(10, TimeUnit.SECONDS);

        assertThat(value).isEqualTo("same");
        assertThat(a.version()).isEqualTo(1);
    }

    @Test
    void rowEditedByHand_isPickedUpByPolling_evenWithoutNotification() throws Exception {
        PostgresStore a = open(true);

        try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "");
                Statement s = c.createStatement()) {
            s.execute("UPDATE origination_uris SET weight = 42");
            s.execute("UPDATE store_version SET version = version + 1");
        }

        await("the poll finds the new version", 5_000,
                () -> a.current().originationUri(FIRST_URI).orElseThrow().weight() == 42);
        assertThat(a.current().accounts().get(0).authId()).isEqualTo(ACCOUNT);
    }

    @Test
    void invalidRowEditedByHand_keepsTheSnapshot() throws Exception {
        PostgresStore a = open(true);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger follower = (Logger) LoggerFactory.getLogger(ChangeFollower.class);
        follower.addAppender(lines);
        try {
            try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "");
                    Statement s = c.createStatement()) {
                s.execute("UPDATE origination_uris SET uri = 'sip:bad host'");
                s.execute("UPDATE store_version SET version = version + 1");
            }
            // the follower sees it (it polls every 200 ms), refuses it and keeps version 1
            await("version 2 refused", 5_000, () -> logged(lines, "invalid data in the store database at version 2"));
            assertThat(a.version()).isEqualTo(1);
        } finally {
            follower.detachAppender(lines);
        }
        // a later good change is taken
        try (Connection c = DriverManager.getConnection(url, POSTGRES.server().user(), "");
                Statement s = c.createStatement()) {
            s.execute("UPDATE origination_uris SET uri = 'sip:127.0.0.1:5999'");
            s.execute("UPDATE store_version SET version = version + 1");
        }
        await("the good version is taken", 5_000, () -> a.version() == 3);
        assertThat(a.current().originationUri(FIRST_URI).orElseThrow().uri()).isEqualTo("sip:127.0.0.1:5999");
    }

    private static boolean logged(ListAppender<ILoggingEvent> lines, String text) {
        synchronized (lines) { // the appender adds under this lock, on the follower's thread
            return lines.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
        }
    }
}
