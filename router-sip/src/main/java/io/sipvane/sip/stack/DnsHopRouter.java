package io.sipvane.sip.stack;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import io.sipvane.core.uri.SipUri;
import java.net.InetAddress;
import java.util.function.Function;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.message.Request;

/**
 * The stack's next-hop router (JAIN-SIP {@code javax.sip.ROUTER_PATH}): RFC 3261 routing as
 * the NIST default router does it, except that a host name already resolved by the DNS cache
 * is sent to its cached address, so the stack itself never blocks a listener thread on a
 * lookup. The request keeps the name in its Request-URI.
 *
 * <p>The stack instantiates this class by reflection (public, with the constructor it
 * expects); {@link ProxyStack} then hands it the cache through {@link #useCache}.
 */
public final class DnsHopRouter extends DefaultRouter {
    /** Cached address of a host name, or null; null until {@link #useCache} (plain routing). */
    private volatile Function<String, InetAddress> cache;
    /** Told the host name behind each TLS next hop, which its certificate must carry; null without router TLS. */
    private volatile TlsSockets tls;

    public DnsHopRouter(SipStack stack, String outboundProxy) {
        super(stack, outboundProxy);
    }

    void useCache(Function<String, InetAddress> cached) {
        this.cache = cached;
    }

    void useTls(TlsSockets tls) {
        this.tls = tls;
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        Hop hop = super.getNextHop(request);
        Function<String, InetAddress> dns = cache;
        if (hop == null || dns == null) {
            return hop;
        }
        String host = hop.getHost();
        if (host.indexOf(':') >= 0 || SipUri.isIpLiteral(host)) {
            return hop;
        }
        InetAddress address = dns.apply(host);
        if (address == null) {
            return hop;
        }
        TlsSockets secure = tls;
        if (secure != null && "tls".equalsIgnoreCase(hop.getTransport())) {
            // the connection goes to an address; the certificate is checked against the name routed to
            secure.expect(address, hop.getPort(), host);
        }
        return new HopImpl(address.getHostAddress(), hop.getPort(), hop.getTransport());
    }
}
