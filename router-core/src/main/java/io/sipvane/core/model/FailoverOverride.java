package io.sipvane.core.model;

import java.util.List;

/**
 * A trunk's partial override of the global failover policy; {@code null} fields inherit.
 */
public record FailoverOverride(List<Integer> onCodes, Integer attemptTimeoutMs, Integer maxAttempts) {

    public static final FailoverOverride NONE = new FailoverOverride(null, null, null);

    public FailoverOverride {
        onCodes = onCodes == null ? null : FailoverPolicy.checkCodes(onCodes);
        if (attemptTimeoutMs != null) {
            Checks.range(attemptTimeoutMs, FailoverPolicy.MIN_ATTEMPT_TIMEOUT_MS, FailoverPolicy.MAX_ATTEMPT_TIMEOUT_MS, "attempt_timeout_ms");
        }
        if (maxAttempts != null) {
            Checks.range(maxAttempts, 1, FailoverPolicy.MAX_ATTEMPTS, "max_attempts");
        }
    }

    public boolean isEmpty() {
        return onCodes == null && attemptTimeoutMs == null && maxAttempts == null;
    }
}
