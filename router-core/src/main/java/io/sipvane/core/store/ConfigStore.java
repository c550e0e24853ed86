package io.sipvane.core.store;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.routing.RoutingTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Where accounts, trunks and origination URIs live, and the routing table built from them.
 * Two implementations: {@link FileConfigStore} (the config file is the store, one router)
 * and the PostgreSQL store of module {@code router-store-postgres} (a database shared by a
 * cluster of routers). The API writes through {@link #update}; SIP routes from {@link #table}.
 */
public interface ConfigStore extends AutoCloseable {

    /** The file store of {@code file}; fails with the YAML path and line when it is invalid. */
    static FileConfigStore open(Path file) throws IOException, ConfigException {
        return FileConfigStore.open(file);
    }

    /** The config as of the last change this router saw; never blocks. */
    SipvaneConfig current();

    /** The live routing table, republished on every change this router sees. */
    RoutingTable table();

    /**
     * Applies a change durably. {@code change} runs on the store's writer thread against the
     * tenant data current in the store at that moment, and may throw to refuse it (its
     * exception completes the future and nothing changes). The future completes after the
     * change is durable and published to this router's table; it fails with a
     * {@link StoreException} (a {@link StoreUnavailableException} when the store cannot be
     * reached) when the change could not be saved.
     */
    <R> CompletableFuture<R> update(Function<SipvaneConfig, Change<R>> change);

    /** Re-reads the store now; resolves to whether a new config was published. */
    CompletableFuture<Boolean> reload();

    /** Starts following changes made outside this router's API (file edits, other routers). */
    void watch() throws IOException;

    /** Where the data lives, for logs: {@code config /etc/sipvane.yaml}, {@code postgres ...}. */
    String describe();

    @Override
    void close();

    /**
     * The outcome of a change: the new config (the same instance for "no change") and a
     * value for the caller.
     */
    record Change<R>(SipvaneConfig config, R value) {}

    /** The change was valid but could not be made durable; nothing was changed. */
    class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The store cannot be reached now (database down); nothing was changed and the caller may
     * retry after {@link #retryAfterSeconds()}. Routing goes on from the last snapshot.
     */
    final class StoreUnavailableException extends StoreException {
        private final int retryAfterSeconds;

        public StoreUnavailableException(String message, int retryAfterSeconds, Throwable cause) {
            super(message, cause);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
