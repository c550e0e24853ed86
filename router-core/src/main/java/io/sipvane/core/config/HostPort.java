package io.sipvane.core.config;

/** {@code host:port} with IPv6 hosts in brackets; the port is required. */
record HostPort(String host, int port) {

    static HostPort parse(String text, String what) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(what + " (expected: host:port)");
        }
        String host = text.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException(what + ": put an IPv6 host in brackets, as in [::1]:5060");
        }
        String port = text.substring(colon + 1);
        if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(what + ": port \"" + port + "\" (expected: 1..65535)");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(what + ": port " + value + " (expected: 1..65535)");
        }
        return new HostPort(host, value);
    }
}
