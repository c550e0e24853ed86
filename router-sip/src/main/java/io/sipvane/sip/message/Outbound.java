package io.sipvane.sip.message;

import gov.nist.javax.sip.message.SIPMessage;
import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import io.sipvane.core.uri.SipUri;
import io.sipvane.sip.stack.LocalAddresses;
import io.sipvane.sip.stack.ProxyStack;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.message.Message;

/**
 * Which of our listeners a message uses, by the rules of {@link LocalAddresses}: the one it
 * arrived on, or the one facing its next hop. Never looks a name up: a host name counts by its
 * cached address, or not at all until it is cached.
 */
public final class Outbound {
    private final ProxyStack stack;
    private final LocalAddresses local;
    private final Function<String, InetAddress> cachedAddress;

    public Outbound(ProxyStack stack, Function<String, InetAddress> cachedAddress) {
        this.stack = stack;
        this.local = stack.local();
        this.cachedAddress = cachedAddress;
    }

    /** The listener {@code message} arrived on over {@code transport}. */
    public ListenAddress arrival(Message message, Transport transport) {
        if (message instanceof SIPMessage m) {
            return local.arrival(transport, m.getLocalAddress(), m.getLocalPort());
        }
        return local.arrival(transport, null, 0);
    }

    /** The listener a request to {@code nextHop} over {@code transport} leaves from, or null. */
    public ListenAddress toward(URI nextHop, Transport transport, ListenAddress arrival) {
        return local.toward(transport, nextHop instanceof SipURI sip ? address(sip.getHost()) : null, arrival);
    }

    /** The listener a message to {@code host} over {@code transport} leaves from, or null. */
    public ListenAddress toward(String host, Transport transport, ListenAddress arrival) {
        return local.toward(transport, address(host), arrival);
    }

    public SipProvider provider(ListenAddress listener) {
        return listener == null ? null : stack.provider(listener);
    }

    public LocalAddresses local() {
        return local;
    }

    private InetAddress address(String host) {
        if (host == null) {
            return null;
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (SipUri.isIpLiteral(host) || bare.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(bare); // a literal: parsed, not looked up
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return cachedAddress.apply(host);
    }
}
