package io.sipvane.core.config;

/**
 * The {@code admin:} section: where the HTTP API listens, the bearer token {@code /metrics}
 * requires (in the file or in an environment variable; neither = {@code /metrics} open to
 * whoever reaches {@code listen}), and how long an idle or trickling connection may stay.
 */
public record AdminSettings(String host, int port, String metricsToken, String metricsTokenEnv, int idleTimeoutMs) {

    public static final int DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    public static final AdminSettings DEFAULT = new AdminSettings("127.0.0.1", 8080);

    public AdminSettings {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listen: no host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen: port " + port + " (expected: 0..65535, 0 = any free port)");
        }
        if (metricsToken != null && metricsTokenEnv != null) {
            throw new IllegalArgumentException("metrics_token: set both metrics_token and metrics_token_env (expected: one)");
        }
        if (metricsToken != null && metricsToken.isBlank()) {
            throw new IllegalArgumentException("metrics_token: empty");
        }
        if (metricsTokenEnv != null && metricsTokenEnv.isBlank()) {
            throw new IllegalArgumentException("metrics_token_env: empty");
        }
        if (idleTimeoutMs < 100 || idleTimeoutMs > 3_600_000) {
            throw new IllegalArgumentException("idle_timeout_ms: " + idleTimeoutMs + " (expected: 100..3600000)");
        }
    }

    /** Open {@code /metrics}, the default idle timeout. */
    public AdminSettings(String host, int port) {
        this(host, port, null, null, DEFAULT_IDLE_TIMEOUT_MS);
    }

    /** Parses {@code host:port}. */
    public static AdminSettings parse(String text) {
        if (text != null && text.endsWith(":0")) {
            return new AdminSettings(text.substring(0, text.length() - 2), 0);
        }
        HostPort hp = HostPort.parse(text, "\"" + text + "\"");
        return new AdminSettings(hp.host(), hp.port());
    }

    /** The same settings with the given token fields and idle timeout. */
    public AdminSettings with(String token, String tokenEnv, int idleMs) {
        return new AdminSettings(host, port, token, tokenEnv, idleMs);
    }

    /** The token {@code /metrics} requires, or {@code null} when it is open. */
    public String resolveMetricsToken() {
        return metricsToken != null ? metricsToken : metricsTokenEnv != null ? System.getenv(metricsTokenEnv) : null;
    }

    /** {@code host:port}, as {@code listen} writes it. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
