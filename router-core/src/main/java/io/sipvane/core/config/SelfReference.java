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
 */
final class SelfReference {
    private SelfReference() {}

    /** The listener {@code uri} points at, or null. */
    static ListenAddress listenerNamedBy(OriginationUri uri, List<ListenAddress> listen) {
        SipUri target = uri.target();
        if (!target.hostIsIpLiteral()) {
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(target.bareHost()); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
        int port = target.portOr(uri.transport());
        for (ListenAddress l : listen) {
            if (l.transport() != uri.transport()) {
                continue;
            }
            if (l.advertisedPort() == port && same(l.bareAdvertisedHost(), address)) {
                return l;
            }
            if (l.port() == port && (l.bindsWildcard() ? isLocal(address) : same(l.bareHost(), address))) {
                return l;
            }
        }
        return null;
    }

    private static boolean same(String literal, InetAddress address) {
        try {
            return InetAddress.getByName(literal).equals(address);
        } catch (UnknownHostException e) {
            return false; // a listener named by host name: not compared
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
}
