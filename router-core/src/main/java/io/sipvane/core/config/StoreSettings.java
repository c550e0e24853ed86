package io.sipvane.core.config;

import io.sipvane.core.model.Checks;
import java.util.Locale;

/**
 * The {@code store:} section: where accounts, trunks and origination URIs live. {@code file}
 * (the default) keeps them in the config file itself; {@code postgres} keeps them in a
 * PostgreSQL database shared by every router of a cluster, and the file then holds only the
 * server settings.
 *
 * @param password       the database password written in the file (discouraged), or {@code null}
 * @param passwordEnv    the environment variable holding the password, or {@code null}
 * @param pollIntervalMs how often a router checks the database's version row, in case a
 *                       change notification was lost (the LISTEN connection was down)
 */
public record StoreSettings(Type type, String url, String user, String password, String passwordEnv, int pollIntervalMs) {

    public static final int DEFAULT_POLL_INTERVAL_MS = 1000;
    public static final StoreSettings DEFAULT = new StoreSettings(Type.FILE, null, null, null, null, DEFAULT_POLL_INTERVAL_MS);

    /** Where tenant data lives. */
    public enum Type {
        FILE, POSTGRES;

        public static Type parse(String text) {
            for (Type t : values()) {
                if (t.token().equals(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("type: \"" + text + "\" (expected: file or postgres)");
        }

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StoreSettings {
        Checks.notNull(type, "type");
        Checks.range(pollIntervalMs, 100, 600_000, "poll_interval_ms");
        if (type == Type.POSTGRES) {
            Checks.notBlank(url, "url");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("url: \"" + url + "\" (expected: jdbc:postgresql://host:port/database)");
            }
            Checks.notBlank(user, "user");
        } else if (url != null || user != null || password != null || passwordEnv != null) {
            throw new IllegalArgumentException("type: file takes no url, user or password (expected: type: postgres)");
        }
        if (password != null && passwordEnv != null) {
            throw new IllegalArgumentException("password_env: set together with password (expected: one of them)");
        }
        if (passwordEnv != null) {
            Checks.notBlank(passwordEnv, "password_env");
        }
    }

    /** A PostgreSQL store with the default poll interval. */
    public static StoreSettings postgres(String url, String user, String passwordEnv) {
        return new StoreSettings(Type.POSTGRES, url, user, null, passwordEnv, DEFAULT_POLL_INTERVAL_MS);
    }

    /** The password to connect with, or {@code null} (none, or its variable is unset). */
    public String resolvePassword() {
        return password != null ? password : passwordEnv != null ? System.getenv(passwordEnv) : null;
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    @Override
    public String toString() {
        // never print the password
        return type == Type.FILE ? "file" : "postgres " + url + " as " + user;
    }
}
