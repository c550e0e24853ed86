package io.sipvane.store.postgres;

import io.sipvane.core.config.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * Connections to the store database, with timeouts short enough that a write during an outage
 * fails in seconds (the API answers 503) rather than hanging. No pool: a router holds two
 * connections (its writer and its listener), and writes are rare and serialized anyway.
 */
final class Database {
    /** Seconds to establish a connection or to wait for an answer on one. */
    static final int CONNECT_TIMEOUT_S = 3;
    static final int SOCKET_TIMEOUT_S = 10;

    private final StoreSettings settings;
    private final String applicationName;

    Database(StoreSettings settings, String applicationName) {
        if (settings.isFile()) {
            throw new IllegalArgumentException("store: type file (expected: postgres)");
        }
        this.settings = settings;
        this.applicationName = applicationName;
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", settings.user());
        String password = settings.resolvePassword();
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        p.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        p.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(settings.url(), p);
    }

    /** Brings the schema to the newest migration (a PostgreSQL advisory lock serializes routers). */
    void migrate() {
        Flyway.configure().dataSource(settings.url(), settings.user(), settings.resolvePassword())
                .locations("classpath:io/sipvane/store/postgres/migration")
                .connectRetries(0).load().migrate();
    }

    String describe() {
        return "postgres " + settings.url() + " as " + settings.user();
    }
}
