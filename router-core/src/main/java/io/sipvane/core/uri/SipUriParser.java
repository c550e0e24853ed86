package io.sipvane.core.uri;

import io.sipvane.core.model.Transport;
import java.util.Locale;

/**
 * Parses origination URIs in every form the Plivo and Vobiz documents show: a bare IP or
 * FQDN with an optional port ({@code 192.168.1.100:5060}, {@code sip.example.com}), and
 * {@code sip:}/{@code sips:} URIs with an optional user, port and parameters
 * ({@code sip:pbx@example.com:5060;transport=tcp}). IPv6 literals go in brackets. Errors
 * say what is wrong, prefixed with {@code uri:}.
 */
final class SipUriParser {
    private SipUriParser() {}

    static SipUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad(text, "is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw bad(text, "contains whitespace or a non-ASCII character");
            }
        }
        String rest = text;
        boolean secure = false;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sips:")) {
            secure = true;
            rest = text.substring(5);
        } else if (lower.startsWith("sip:")) {
            rest = text.substring(4);
        } else if (lower.startsWith("tel:") || lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw bad(text, "has an unsupported scheme (expected: sip:, sips: or a bare host)");
        }
        if (rest.indexOf('?') >= 0) {
            throw bad(text, "has URI headers ('?'), which an origination URI cannot carry");
        }
        String params = null;
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            params = rest.substring(semi + 1);
            rest = rest.substring(0, semi);
        }
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (user.isEmpty()) {
                throw bad(text, "has an empty user part before '@'");
            }
            checkUser(text, user);
        }
        if (rest.isEmpty()) {
            throw bad(text, "has no host");
        }
        String host;
        int port = 0;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw bad(text, "has an IPv6 address without its closing ']'");
            }
            host = rest.substring(0, close + 1).toLowerCase(Locale.ROOT);
            checkIpv6(text, host.substring(1, host.length() - 1));
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw bad(text, "has \"" + after + "\" after the IPv6 address");
                }
                port = parsePort(text, after.substring(1));
            }
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
                throw bad(text, "looks like an IPv6 address: put it in brackets, as in [2001:db8::1]:5060");
            }
            host = (colon >= 0 ? rest.substring(0, colon) : rest).toLowerCase(Locale.ROOT);
            if (colon >= 0) {
                port = parsePort(text, rest.substring(colon + 1));
            }
            if (host.isEmpty()) {
                throw bad(text, "has no host");
            }
            checkHost(text, host);
        }
        Transport transport = params == null ? null : transportParam(text, params);
        if (secure && transport == Transport.UDP) {
            throw bad(text, "is sips: over udp; sips: needs tls");
        }
        return new SipUri(secure, user, host, port, transport);
    }

    static boolean isIpv4(String host) {
        int dots = 0;
        int value = -1;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (value < 0) {
                    return false;
                }
                dots++;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return dots == 3 && value >= 0;
    }

    private static void checkHost(String text, String host) {
        if (isIpv4(host)) {
            return;
        }
        if (host.length() > 253) {
            throw bad(text, "has a host name longer than 253 characters");
        }
        String[] labels = host.endsWith(".") ? host.substring(0, host.length() - 1).split("\\.", -1) : host.split("\\.", -1);
        boolean allNumeric = true;
        for (String label : labels) {
            if (label.isEmpty()) {
                throw bad(text, "has an empty label in host \"" + host + "\"");
            }
            if (label.length() > 63) {
                throw bad(text, "has a host label longer than 63 characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw bad(text, "has host label \"" + label + "\" starting or ending with '-'");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    throw bad(text, "has invalid character '" + c + "' in host \"" + host + "\"");
                }
                if (c < '0' || c > '9') {
                    allNumeric = false;
                }
            }
        }
        if (allNumeric) {
            throw bad(text, "has host \"" + host + "\", which is not a valid IPv4 address");
        }
    }

    private static void checkIpv6(String text, String address) {
        if (address.isEmpty() || address.indexOf(':') < 0) {
            throw bad(text, "has an invalid IPv6 address \"" + address + "\"");
        }
        int groups = 0;
        boolean compressed = false;
        String[] parts = address.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                boolean edge = (i == 0 || i == parts.length - 1);
                if (!edge) {
                    if (compressed) {
                        throw bad(text, "has an invalid IPv6 address \"" + address + "\" (two '::')");
                    }
                    compressed = true;
                }
                continue;
            }
            if (i == parts.length - 1 && part.indexOf('.') >= 0) {
                if (!isIpv4(part)) {
                    throw bad(text, "has an invalid IPv6 address \"" + address + "\"");
                }
                groups += 2;
                continue;
            }
            if (part.length() > 4 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw bad(text, "has an invalid IPv6 address \"" + address + "\"");
            }
            groups++;
        }
        if (groups > 8 || (!compressed && groups != 8 && !address.startsWith("::") && !address.endsWith("::"))) {
            throw bad(text, "has an invalid IPv6 address \"" + address + "\"");
        }
    }

    private static void checkUser(String text, String user) {
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == ':' || c == '<' || c == '>' || c == '"' || c == '[' || c == ']') {
                throw bad(text, "has invalid character '" + c + "' in the user part (passwords in URIs are not supported)");
            }
        }
    }

    private static int parsePort(String text, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(text, "has port \"" + port + "\" (expected: 1..65535)");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw bad(text, "has port " + value + " (expected: 1..65535)");
        }
        return value;
    }

    private static Transport transportParam(String text, String params) {
        Transport transport = null;
        for (String param : params.split(";", -1)) {
            if (param.isEmpty()) {
                throw bad(text, "has an empty parameter");
            }
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (name.equals("transport")) {
                String value = eq < 0 ? "" : param.substring(eq + 1);
                try {
                    transport = Transport.parse(value);
                } catch (IllegalArgumentException e) {
                    throw bad(text, "has transport=" + value + " (expected: udp, tcp or tls)");
                }
            } else if (name.equals("lr") || name.equals("user") || name.equals("maddr") || name.equals("ttl")
                    || name.equals("method")) {
                // harmless on a destination; ignored
            } else if (name.isEmpty()) {
                throw bad(text, "has a parameter with no name");
            }
        }
        return transport;
    }

    private static IllegalArgumentException bad(String text, String problem) {
        return new IllegalArgumentException("uri: \"" + (text == null ? "" : text) + "\" " + problem);
    }
}
