package io.sipvane.core.uri;

import io.sipvane.core.model.Transport;

/**
 * A normalized SIP destination: what an origination URI means on the wire.
 *
 * @param secure    {@code true} for {@code sips:}
 * @param user      the user part, or {@code null} when the URI names none (the caller's
 *                  called number is kept then)
 * @param host      lower-case host name, dotted IPv4, or IPv6 in brackets ({@code [::1]})
 * @param port      the port, or 0 when the URI names none (resolve by transport default)
 * @param transport the {@code ;transport=} parameter, or {@code null} when absent
 */
public record SipUri(boolean secure, String user, String host, int port, Transport transport) {

    public SipUri {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("uri: no host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("uri: port " + port + " (expected: 1..65535)");
        }
    }

    /** Parses any accepted form; see {@link SipUriParser}. */
    public static SipUri parse(String text) {
        return SipUriParser.parse(text);
    }

    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** The port to send to: the explicit one, else the default of {@code effectiveTransport}. */
    public int portOr(Transport effectiveTransport) {
        return port != 0 ? port : effectiveTransport.defaultPort();
    }

    /** Whether the host is an IP literal (no DNS needed). */
    public boolean hostIsIpLiteral() {
        return isIpLiteral(host);
    }

    /** Whether {@code host} is an IPv4 literal or a bracketed IPv6 one; allocates nothing. */
    public static boolean isIpLiteral(String host) {
        return host.startsWith("[") || SipUriParser.isIpv4(host);
    }

    /** The host without IPv6 brackets, as {@code InetAddress} wants it. */
    public String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The canonical text: {@code sip:user@host:port;transport=tcp}, parts only when set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32).append(scheme()).append(':');
        if (user != null) {
            sb.append(user).append('@');
        }
        sb.append(host);
        if (port != 0) {
            sb.append(':').append(port);
        }
        if (transport != null) {
            sb.append(";transport=").append(transport.token());
        }
        return sb.toString();
    }
}
