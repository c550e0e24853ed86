package io.sipvane.sip.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sipvane.core.uri.SipUri;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The host name a TLS connection to an address must prove, learned when a request is routed
 * to that name and its address taken from the DNS cache. Connections are made (and reused)
 * per address, so two names on one address share one connection, verified as the name that
 * opened it. Bounded: the entries of destinations no longer routed to expire.
 */
final class PeerNames {
    static final int MAX_ENTRIES = 10_000;

    private final Cache<String, String> names = Caffeine.newBuilder().maximumSize(MAX_ENTRIES)
            .expireAfterAccess(Duration.ofHours(1)).build();

    void expect(InetAddress address, int port, String host) {
        names.put(key(address, port), host);
    }

    /**
     * The name to verify at {@code address:port}: the one expected there, else the name the
     * address was created from (a lookup by the stack itself), else the address as a literal
     * (then the certificate must carry it as an IP address). Never a reverse lookup.
     */
    String nameOf(InetAddress address, int port) {
        String expected = names.getIfPresent(key(address, port));
        if (expected != null) {
            return expected;
        }
        String text = address.toString(); // "name/literal", or "/literal" when created from a literal
        int slash = text.indexOf('/');
        String name = slash > 0 ? text.substring(0, slash) : null;
        return name != null && !SipUri.isIpLiteral(name) ? name : address.getHostAddress();
    }

    private static String key(InetAddress address, int port) {
        return address.getHostAddress() + "|" + port;
    }
}
