package io.sipvane.core.config;

import io.sipvane.core.model.Transport;

/** A SIP listener: {@code udp:127.0.0.1:5060}, {@code tcp:[::1]:5060}. */
public record ListenAddress(Transport transport, String host, int port) {

    public ListenAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listen: no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("listen: port " + port + " (expected: 1..65535)");
        }
    }

    /** Parses {@code transport:host:port}; IPv6 hosts in brackets. */
    public static ListenAddress parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: transport:host:port, as in udp:127.0.0.1:5060)");
        }
        Transport transport = Transport.parse(text.substring(0, colon));
        HostPort hp = HostPort.parse(text.substring(colon + 1), "\"" + text + "\"");
        return new ListenAddress(transport, hp.host(), hp.port());
    }

    /** The host as {@code InetAddress} wants it: IPv6 without brackets. */
    public String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return transport.token() + ":" + host + ":" + port;
    }
}
