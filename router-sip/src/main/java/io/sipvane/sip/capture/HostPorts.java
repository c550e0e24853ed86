package io.sipvane.sip.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The {@code host:port} strings the stack hands its message logger, split and parsed. */
final class HostPorts {
    private HostPorts() {}

    /** The address of {@code host:port} ({@code [v6]:port} too); never a DNS lookup: null unless a literal. */
    static InetAddress address(String hostPort) {
        String host = host(hostPort);
        if (host.isEmpty()) {
            return null;
        }
        if (host.indexOf(':') < 0 && !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return null; // a name, not a literal
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String host(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 ? hostPort.substring(1, close) : hostPort;
        }
        int colon = hostPort.indexOf(':');
        return colon >= 0 && colon == hostPort.lastIndexOf(':') ? hostPort.substring(0, colon) : hostPort;
    }

    static int port(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = hostPort.startsWith("[") ? colon > hostPort.indexOf(']') : colon >= 0 && colon == hostPort.indexOf(':');
        if (!hasPort) {
            return 5060;
        }
        try {
            return Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 5060;
        }
    }
}
