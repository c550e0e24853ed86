package io.sipvane.store.postgres;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One throwaway PostgreSQL cluster per test class, under {@code target/postgres}:
 * <pre>
 * &#64;RegisterExtension
 * static final PostgresExtension POSTGRES = new PostgresExtension();
 * ... String url = POSTGRES.server().createDatabase();
 * </pre>
 * Started before the first test, stopped after the last.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.create(Path.of("target", "postgres"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("the PostgreSQL extension is not started (register it on a static field)");
        }
        return server;
    }
}
