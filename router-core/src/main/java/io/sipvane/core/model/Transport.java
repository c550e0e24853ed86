package io.sipvane.core.model;

import java.util.Locale;

/** SIP transport used to reach a destination or to listen on. */
public enum Transport {
    UDP, TCP, TLS;

    /** The lower-case token used in config files, APIs and SIP URI parameters. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The default port of this transport when a URI names none (RFC 3261 §19.1.2). */
    public int defaultPort() {
        return this == TLS ? 5061 : 5060;
    }

    /**
     * Parses {@code udp}, {@code tcp} or {@code tls} in any case.
     *
     * @throws IllegalArgumentException naming the value when it is none of them
     */
    public static Transport parse(String value) {
        if (value != null) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "udp": return UDP;
                case "tcp": return TCP;
                case "tls": return TLS;
                default: break;
            }
        }
        throw new IllegalArgumentException("transport: \"" + value + "\" (expected: udp, tcp or tls)");
    }
}
