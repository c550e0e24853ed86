package io.sipvane.core.config;

import io.sipvane.core.model.Checks;

/**
 * The {@code dns:} section: how long resolved destination host names are cached, and how
 * long a failed lookup is remembered before it is tried again.
 */
public record DnsSettings(int ttlMs, int negativeTtlMs) {

    public static final DnsSettings DEFAULT = new DnsSettings(30_000, 5_000);

    public DnsSettings {
        Checks.range(ttlMs, 0, 86_400_000, "ttl_ms");
        Checks.range(negativeTtlMs, 0, 3_600_000, "negative_ttl_ms");
    }
}
