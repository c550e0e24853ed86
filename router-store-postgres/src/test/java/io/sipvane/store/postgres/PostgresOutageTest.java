package io.sipvane.store.postgres;

import static io.sipvane.store.postgres.StoreFixtures.add;
import static io.sipvane.store.postgres.StoreFixtures.await;
import static io.sipvane.store.postgres.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.core.store.ConfigStore.StoreUnavailableException;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The database killed under two routers, and a router started while it is down. */
class PostgresOutageTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void databaseKilled_snapshotStays_writesAreUnavailable_thenBothRoutersConverge() throws Exception {
        PostgresServer server = POSTGRES.server();
        String url = server.createDatabase();
        try (PostgresStore a = PostgresStore.open(config(url, server.user(), true), Clock.systemUTC());
                PostgresStore b = PostgresStore.open(config(url, server.user(), false), Clock.systemUTC())) {
            a.watch();
            b.watch();
            await("both follow", 10_000, () -> a.following() && b.following());
            RoutingSnapshot before = b.table().current();

            server.kill();
            await("both notice", 10_000, () -> !a.following() && !b.following());

            // routing and reads go on from the snapshot
            assertThat(b.table().current()).isSameAs(before);
            assertThat(b.current().originationUris()).hasSize(1);
            // writes answer "unavailable, retry later" and change nothing
            assertThatThrownBy(() -> a.update(c -> add(c, 5072)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("store database is unavailable")
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).retryAfterSeconds()).isPositive());
            assertThat(a.current().originationUris()).hasSize(1);

            server.start();
            await("both reconnect", 20_000, () -> a.following() && b.following());
            OriginationUri added = b.update(c -> add(c, 5073)).get(30, TimeUnit.SECONDS);
            await("a write through B reaches A", 5_000, () -> a.current().originationUri(added.id()).isPresent());
            OriginationUri again = a.update(c -> add(c, 5074)).get(30, TimeUnit.SECONDS);
            await("a write through A reaches B", 5_000, () -> b.current().originationUri(again.id()).isPresent());
            assertThat(a.current().originationUris()).isEqualTo(b.current().originationUris()).hasSize(3);
        }
    }

    @Test
    void open_whileTheDatabaseIsDown_failsNamingTheDatabase() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/sipvane";

        assertThatThrownBy(() -> PostgresStore.open(config(url, "sipvane", true), Clock.systemUTC()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot")
                .hasMessageContaining(url);
    }
}
