package io.sipvane.core.model;

/**
 * A trunk's partial override of the global active health checks; {@code null} fields
 * inherit. A destination routed by several trunks is probed at the shortest interval any of
 * them asks for, and not at all only when none of them probes.
 */
public record HealthOverride(Boolean probing, Integer probeIntervalMs) {

    public static final HealthOverride NONE = new HealthOverride(null, null);

    public HealthOverride {
        if (probeIntervalMs != null) {
            Checks.range(probeIntervalMs, 100, 3_600_000, "probe_interval_ms");
        }
    }

    public boolean isEmpty() {
        return probing == null && probeIntervalMs == null;
    }
}
