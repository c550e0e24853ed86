package io.sipvane.core.config;

import io.sipvane.core.model.Checks;

/**
 * The {@code health:} section: active OPTIONS probing with hysteresis, and the passive
 * quarantine a destination enters after {@code quarantineAfter} consecutive call failures.
 */
public record HealthSettings(int probeIntervalMs, int downAfter, int upAfter, int quarantineAfter, int quarantineMs) {

    public static final HealthSettings DEFAULT = new HealthSettings(5000, 2, 2, 2, 10_000);

    public HealthSettings {
        Checks.range(probeIntervalMs, 100, 3_600_000, "probe_interval_ms");
        Checks.range(downAfter, 1, 100, "down_after");
        Checks.range(upAfter, 1, 100, "up_after");
        Checks.range(quarantineAfter, 1, 100, "quarantine_after");
        Checks.range(quarantineMs, 0, 3_600_000, "quarantine_ms");
    }
}
