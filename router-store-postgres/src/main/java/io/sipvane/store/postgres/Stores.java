package io.sipvane.store.postgres;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.store.ConfigStore;
import io.sipvane.core.store.FileConfigStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the store a config file's {@code store:} section names. */
public final class Stores {
    private Stores() {}

    /**
     * The file store of {@code file} ({@code store.type: file}, the default) or the
     * PostgreSQL store it names; fails with the YAML path and line when the file is invalid,
     * and with a {@link ConfigStore.StoreException} when the database cannot be used.
     */
    public static ConfigStore open(Path file) throws IOException, ConfigException {
        SipvaneConfig config = ConfigLoader.load(file);
        if (config.store().isFile()) {
            return FileConfigStore.open(file);
        }
        return PostgresStore.open(config, Clock.systemUTC());
    }
}
