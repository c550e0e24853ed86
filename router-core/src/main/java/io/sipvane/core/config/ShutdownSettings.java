package io.sipvane.core.config;

import io.sipvane.core.model.Checks;

/**
 * The {@code shutdown:} section: on SIGTERM new calls get 503 with Retry-After and calls in
 * progress have {@code graceMs} to finish before the process exits.
 */
public record ShutdownSettings(int graceMs) {

    public static final ShutdownSettings DEFAULT = new ShutdownSettings(10_000);

    public ShutdownSettings {
        Checks.range(graceMs, 0, 3_600_000, "grace_ms");
    }
}
