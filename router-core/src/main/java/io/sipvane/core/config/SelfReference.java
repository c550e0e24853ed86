package io.sipvane.core.config;

import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.uri.SipUri;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Whether an origination URI names one of this router's own SIP listeners: a call routed there
 * would come straight back and loop until Max-Forwards ran out. Checked on IP literals only
 * (a name is not looked up while loading a config; a name that resolves to us anyway is caught
 * at call time as a loop, 482). A listener on the wildcard address owns every loopback and
 * interface address of the machine.
 *
 * <p>Built once per check of a whole config: the listeners' addresses are parsed here, and a
 * URI's host only when its transport and port are a listener's, so checking 100,000 URIs
 * costs a few integer comparisons each.
 */
final class SelfReference {
    private final List<Listener> listeners;

    private SelfReference(List<Listener> listeners) {
        this.listeners = listeners;
    }

    static SelfReference of(List<ListenAddress> listen) {
        return new SelfReference(listen.stream().map(Listener::new).toList());
    }

    /** The listener {@code uri} points at, or null. */
    ListenAddress listenerNamedBy(OriginationUri uri) {
        SipUri target = uri.target();
        int port = target.portOr(uri.transport());
        InetAddress address = null;
        for (Listener l : listeners) {
            if (l.listen.transport() != uri.transport() || (l.listen.advertisedPort() != port && l.listen.port() != port)) {
                continue;
            }
            if (address == null) {
                if (!target.hostIsIpLiteral()) {
                    return null;
                }
                address = address(target.bareHost()); // a literal: parsed, not looked up
                if (address == null) {
                    return null;
                }
            }
            if (l.listen.advertisedPort() == port && address.equals(l.advertised)) {
                return l.listen;
            }
            if (l.listen.port() == port && (l.listen.bindsWildcard() ? isLocal(address) : address.equals(l.bound))) {
                return l.listen;
            }
        }
        return null;
    }

    /** Null when it does not resolve (a listener so named is not compared). */
    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private record Listener(ListenAddress listen, InetAddress bound, InetAddress advertised) {
        Listener(ListenAddress listen) {
            this(listen, address(listen.bareHost()), address(listen.bareAdvertisedHost()));
        }
    }
}
