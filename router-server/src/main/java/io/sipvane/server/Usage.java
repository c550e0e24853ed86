package io.sipvane.server;

/** The text of {@code sipvane --help}. */
final class Usage {
    static final String TEXT = """
            usage: sipvane [--config FILE]          start the router (default config: %s)
                   sipvane check [--config FILE]    validate FILE and the TLS files it names; starts nothing
                   sipvane --version                print the version and the commit built
                   sipvane --help                   print this help

            Signals: SIGHUP re-reads the config and the TLS files (an invalid one is logged, the running one kept);
                     SIGTERM and SIGINT drain calls in progress (shutdown.grace_ms) and exit 0.
            Exit status: 0 stopped normally or config valid; 1 invalid config or cannot start
                         (a listener cannot bind, the store is unreachable); 2 bad arguments.
            Log format: SIPVANE_LOG_FORMAT=json for one JSON object per line (default: text).
            """;

    private Usage() {}

    static String text() {
        return TEXT.formatted(Main.DEFAULT_CONFIG);
    }
}
