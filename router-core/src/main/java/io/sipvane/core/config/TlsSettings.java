package io.sipvane.core.config;

import java.util.List;
import java.util.Locale;

/**
 * The {@code tls:} section: the router's certificate for its TLS listeners, the CA bundle it
 * trusts, whether listeners ask callers for a certificate, the protocol floor, and per
 * destination rules (a client certificate toward a carrier, or no verification in a lab).
 *
 * <p>Files are PEM and read by the SIP layer, which re-reads them when they change: the paths
 * and the destination rules apply to new connections without a restart; {@code client_auth}
 * and {@code min_version} are set on the listening sockets and need one.
 *
 * @param certificate PEM chain, leaf first; null when the router has no certificate (no TLS listener)
 * @param key         PEM private key of {@code certificate}
 * @param ca          PEM CA bundle trusted for destinations and client certificates; null: the
 *                    JDK's trust store for destinations, no client certificate accepted
 */
public record TlsSettings(String certificate, String key, String ca, ClientAuth clientAuth, String minVersion,
                          List<TlsDestination> destinations) {

    public static final TlsSettings DEFAULT = new TlsSettings(null, null, null, ClientAuth.NONE, "TLSv1.2", List.of());

    /** Whether TLS listeners ask for, or insist on, a client certificate. */
    public enum ClientAuth {
        NONE, OPTIONAL, REQUIRED;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ClientAuth parse(String value) {
            for (ClientAuth c : values()) {
                if (c.token().equals(value)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("\"" + value + "\" (expected: none, optional or required)");
        }
    }

    public TlsSettings {
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        minVersion = minVersion == null ? "TLSv1.2" : minVersion;
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
        if (!minVersion.equals("TLSv1.2") && !minVersion.equals("TLSv1.3")) {
            throw new IllegalArgumentException("min_version: \"" + minVersion + "\" (expected: TLSv1.2 or TLSv1.3)");
        }
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException((certificate == null ? "certificate" : "key")
                    + ": missing (expected: both certificate and key, or neither)");
        }
        if (clientAuth != ClientAuth.NONE && ca == null) {
            throw new IllegalArgumentException("client_auth: " + clientAuth.token()
                    + " needs ca (the bundle client certificates are verified against)");
        }
    }

    /** Whether the router has a certificate of its own (needed by a TLS listener). */
    public boolean hasCertificate() {
        return certificate != null;
    }

    /** The protocols offered, newest first: TLS 1.3 always, TLS 1.2 unless the floor is 1.3. */
    public List<String> protocols() {
        return minVersion.equals("TLSv1.3") ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
    }

    /** The rule for a destination {@code host:port}: the first naming its host and port, then one naming its host only. */
    public TlsDestination destination(String host, int port) {
        TlsDestination anyPort = null;
        for (TlsDestination d : destinations) {
            if (d.host().equalsIgnoreCase(host)) {
                if (d.port() == port) {
                    return d;
                }
                if (d.port() == 0 && anyPort == null) {
                    anyPort = d;
                }
            }
        }
        return anyPort;
    }

    /**
     * One {@code tls.destinations} entry: how the router connects to a destination host (the
     * host of origination URIs, as written there).
     *
     * @param port        0: every port of the host
     * @param certificate PEM client certificate chain presented when the destination asks, or null
     * @param key         its private key
     * @param verify      false: the destination's certificate is not checked at all (lab only)
     */
    public record TlsDestination(String host, int port, String certificate, String key, boolean verify) {
        public TlsDestination {
            io.sipvane.core.model.Checks.notBlank(host, "host");
            host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            io.sipvane.core.model.Checks.range(port, 0, 65535, "port");
            if ((certificate == null) != (key == null)) {
                throw new IllegalArgumentException((certificate == null ? "certificate" : "key")
                        + ": missing (expected: both certificate and key, or neither)");
            }
        }
    }
}
