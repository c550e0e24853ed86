package io.sipvane.sip.stack;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import io.sipvane.core.uri.SipUri;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.message.Request;

/**
 * The stack's next-hop router (JAIN-SIP {@code javax.sip.ROUTER_PATH}): RFC 3261 routing as
 * the NIST default router does it, except that a host name already resolved by our
 * {@link DnsCache} is sent to its cached address, so the stack itself never blocks a
 * listener thread on a lookup. The request keeps the name in its Request-URI.
 *
 * <p>The stack instantiates this class by reflection, so it finds its stack's cache in a
 * static map keyed by stack name.
 */
public final class DnsHopRouter extends DefaultRouter {
    private static final ConcurrentHashMap<String, DnsCache> CACHES = new ConcurrentHashMap<>();

    private final String stackName;

    public DnsHopRouter(SipStack stack, String outboundProxy) {
        super(stack, outboundProxy);
        this.stackName = stack.getStackName();
    }

    static void register(String stackName, DnsCache cache) {
        CACHES.put(stackName, cache);
    }

    static void unregister(String stackName) {
        CACHES.remove(stackName);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        Hop hop = super.getNextHop(request);
        DnsCache dns = CACHES.get(stackName);
        if (hop == null || dns == null) {
            return hop;
        }
        String host = hop.getHost();
        if (host.indexOf(':') >= 0 || SipUri.isIpLiteral(host)) {
            return hop;
        }
        InetAddress address = dns.cached(host);
        return address == null ? hop : new HopImpl(address.getHostAddress(), hop.getPort(), hop.getTransport());
    }

}
