package io.sipvane.core.config;

import io.sipvane.core.model.Transport;

/**
 * A SIP listener: {@code udp:127.0.0.1:5060}, {@code tcp:[::1]:5060}, or with the address
 * peers must use to reach it when that is not the bound one (NAT, a floating address):
 * {@code udp:10.0.0.5:5060;advertise=203.0.113.10:5060}. The advertised address goes into
 * Via and Record-Route; the bound one is where the socket listens.
 *
 * @param advertisedHost the host peers see, equal to {@code host} when none is configured
 * @param advertisedPort the port peers see, equal to {@code port} when none is configured
 */
public record ListenAddress(Transport transport, String host, int port, String advertisedHost, int advertisedPort) {

    public ListenAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listen: no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("listen: port " + port + " (expected: 1..65535)");
        }
        if (advertisedHost == null) {
            advertisedHost = host;
            advertisedPort = port;
        }
        if (advertisedPort < 1 || advertisedPort > 65535) {
            throw new IllegalArgumentException("listen: advertised port " + advertisedPort + " (expected: 1..65535)");
        }
        if (isWildcard(advertisedHost)) {
            // nobody can send to 0.0.0.0: Via and Record-Route need an address peers reach
            throw new IllegalArgumentException("listen: \"" + transport.token() + ":" + host + ":" + port
                    + "\" binds every address; add the address peers reach, as in ;advertise=203.0.113.10:" + port);
        }
    }

    /** A listener advertising the address it binds. */
    public ListenAddress(Transport transport, String host, int port) {
        this(transport, host, port, null, 0);
    }

    /** Parses {@code transport:host:port[;advertise=host:port]}; IPv6 hosts in brackets. */
    public static ListenAddress parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: transport:host:port, as in udp:127.0.0.1:5060)");
        }
        Transport transport = Transport.parse(text.substring(0, colon));
        String rest = text.substring(colon + 1);
        String advertise = null;
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            String param = rest.substring(semicolon + 1);
            rest = rest.substring(0, semicolon);
            if (!param.startsWith("advertise=")) {
                throw new IllegalArgumentException("\"" + text + "\": unknown parameter \"" + param
                        + "\" (expected: ;advertise=host:port)");
            }
            advertise = param.substring("advertise=".length());
        }
        HostPort bound = HostPort.parse(rest, "\"" + text + "\"");
        if (advertise == null) {
            return new ListenAddress(transport, bound.host(), bound.port());
        }
        HostPort seen = HostPort.parse(advertise, "\"" + text + "\": advertise");
        return new ListenAddress(transport, bound.host(), bound.port(), seen.host(), seen.port());
    }

    /** The host as {@code InetAddress} wants it: IPv6 without brackets. */
    public String bareHost() {
        return bare(host);
    }

    /** The advertised host without IPv6 brackets, as Via headers take it. */
    public String bareAdvertisedHost() {
        return bare(advertisedHost);
    }

    /** Whether the socket binds every local address of its family. */
    public boolean bindsWildcard() {
        return isWildcard(host);
    }

    private static boolean isWildcard(String host) {
        // 0.0.0.0, or an IPv6 address of zeros only ([::], [0:0::0])
        return host.equals("0.0.0.0") || host.startsWith("[") && bare(host).chars().allMatch(c -> c == ':' || c == '0');
    }

    private static String bare(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        String bound = transport.token() + ":" + host + ":" + port;
        return advertisedHost.equals(host) && advertisedPort == port ? bound
                : bound + ";advertise=" + advertisedHost + ":" + advertisedPort;
    }
}
