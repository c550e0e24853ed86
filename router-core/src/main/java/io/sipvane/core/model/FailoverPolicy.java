package io.sipvane.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * When a call walks on to the next destination: on these final response codes, on a transport
 * error, or when a destination says nothing within {@code attemptTimeoutMs}; at most
 * {@code maxAttempts} destinations per call.
 */
public record FailoverPolicy(List<Integer> onCodes, int attemptTimeoutMs, int maxAttempts) {

    public static final int MIN_ATTEMPT_TIMEOUT_MS = 50;
    public static final int MAX_ATTEMPT_TIMEOUT_MS = 180_000;
    public static final int MAX_ATTEMPTS = 100;

    /** DESIGN.md defaults: 408, 480 and the server errors that mean "try elsewhere". */
    public static final FailoverPolicy DEFAULT = new FailoverPolicy(List.of(408, 480, 500, 502, 503, 504), 2000, 10);

    public FailoverPolicy {
        onCodes = checkCodes(Checks.notNull(onCodes, "on_codes"));
        Checks.range(attemptTimeoutMs, MIN_ATTEMPT_TIMEOUT_MS, MAX_ATTEMPT_TIMEOUT_MS, "attempt_timeout_ms");
        Checks.range(maxAttempts, 1, MAX_ATTEMPTS, "max_attempts");
    }

    /** Whether a final response with this code sends the call on to the next destination. */
    public boolean failsOverOn(int code) {
        // a handful of codes: a scan beats hashing and boxing
        for (int i = 0, n = onCodes.size(); i < n; i++) {
            if (onCodes.get(i) == code) {
                return true;
            }
        }
        return false;
    }

    /** This policy with the trunk's overrides applied. */
    public FailoverPolicy with(FailoverOverride override) {
        if (override == null || override.isEmpty()) {
            return this;
        }
        return new FailoverPolicy(
                override.onCodes() != null ? override.onCodes() : onCodes,
                override.attemptTimeoutMs() != null ? override.attemptTimeoutMs() : attemptTimeoutMs,
                override.maxAttempts() != null ? override.maxAttempts() : maxAttempts);
    }

    static List<Integer> checkCodes(List<Integer> codes) {
        List<Integer> checked = new ArrayList<>(codes.size());
        for (int i = 0; i < codes.size(); i++) {
            Integer code = codes.get(i);
            if (code == null) {
                throw new IllegalArgumentException("on_codes[" + i + "]: missing");
            }
            // 1xx and 2xx end the walk by definition: the callee has been reached
            Checks.range(code, 300, 699, "on_codes[" + i + "]");
            if (checked.contains(code)) {
                throw new IllegalArgumentException("on_codes[" + i + "]: " + code + " listed twice");
            }
            checked.add(code);
        }
        return List.copyOf(checked);
    }
}
