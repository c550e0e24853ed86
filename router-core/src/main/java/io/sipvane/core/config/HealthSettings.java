package io.sipvane.core.config;

import io.sipvane.core.model.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code health:} section: active OPTIONS probing with hysteresis, and the passive
 * quarantine a destination enters after {@code quarantineAfter} consecutive call failures.
 *
 * @param probing        whether destinations are probed with OPTIONS at all
 * @param probeTimeoutMs how long a probe may wait for its answer before it counts as failed
 * @param okCodes        probe answers that count as "up" besides any 2xx: a PBX that
 *                       answers OPTIONS with 404 or 405 is alive
 * @param quarantineCodes final responses to a call that count as the PBX failing (besides
 *                       silence and transport errors); any other answer shows it alive:
 *                       4xx speak of the callee or the request, never of the PBX
 */
public record HealthSettings(int probeIntervalMs, int downAfter, int upAfter, int quarantineAfter, int quarantineMs,
                             boolean probing, int probeTimeoutMs, List<Integer> okCodes, List<Integer> quarantineCodes) {

    public static final List<Integer> DEFAULT_OK_CODES = List.of(404, 405, 483);
    public static final List<Integer> DEFAULT_QUARANTINE_CODES = List.of(500, 502, 503, 504);
    public static final HealthSettings DEFAULT = new HealthSettings(5000, 2, 2, 2, 10_000, true, 2000, DEFAULT_OK_CODES,
            DEFAULT_QUARANTINE_CODES);

    public HealthSettings {
        Checks.range(probeIntervalMs, 100, 3_600_000, "probe_interval_ms");
        Checks.range(downAfter, 1, 100, "down_after");
        Checks.range(upAfter, 1, 100, "up_after");
        Checks.range(quarantineAfter, 1, 100, "quarantine_after");
        Checks.range(quarantineMs, 0, 3_600_000, "quarantine_ms");
        Checks.range(probeTimeoutMs, 50, 60_000, "probe_timeout_ms");
        okCodes = codes(okCodes == null ? DEFAULT_OK_CODES : okCodes, 100, 699, "ok_codes");
        quarantineCodes = codes(quarantineCodes == null ? DEFAULT_QUARANTINE_CODES : quarantineCodes, 500, 599,
                "quarantine_codes");
    }

    private static List<Integer> codes(List<Integer> given, int min, int max, String name) {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            Integer code = Checks.notNull(given.get(i), name + "[" + i + "]");
            Checks.range(code, min, max, name + "[" + i + "]");
            codes.add(code);
        }
        return List.copyOf(codes);
    }

    /** With the default quarantine codes. */
    public HealthSettings(int probeIntervalMs, int downAfter, int upAfter, int quarantineAfter, int quarantineMs,
                          boolean probing, int probeTimeoutMs, List<Integer> okCodes) {
        this(probeIntervalMs, downAfter, upAfter, quarantineAfter, quarantineMs, probing, probeTimeoutMs, okCodes,
                DEFAULT_QUARANTINE_CODES);
    }

    /** Whether a final response {@code code} to a call counts as the destination failing. */
    public boolean isSick(int code) {
        return quarantineCodes.contains(code);
    }

    /** Whether a probe answered with {@code code} means the destination is up. */
    public boolean isOk(int code) {
        return (code >= 200 && code < 300) || okCodes.contains(code);
    }
}
