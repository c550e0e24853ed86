package io.sipvane.core.config;

/** The {@code admin:} section: where the HTTP API listens. */
public record AdminSettings(String host, int port) {

    public static final AdminSettings DEFAULT = new AdminSettings("127.0.0.1", 8080);

    public AdminSettings {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listen: no host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen: port " + port + " (expected: 0..65535, 0 = any free port)");
        }
    }

    /** Parses {@code host:port}. */
    public static AdminSettings parse(String text) {
        if (text != null && text.endsWith(":0")) {
            return new AdminSettings(text.substring(0, text.length() - 2), 0);
        }
        HostPort hp = HostPort.parse(text, "\"" + text + "\"");
        return new AdminSettings(hp.host(), hp.port());
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
