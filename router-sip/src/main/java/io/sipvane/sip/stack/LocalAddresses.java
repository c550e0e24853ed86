package io.sipvane.sip.stack;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sip.address.SipURI;
import javax.sip.address.URI;

/**
 * The router's own addresses, built from {@code sip.listen} before any socket exists and never
 * changed afterwards, so every thread reads them without a lock or a startup race.
 *
 * <p>Each listener has a bound address (its socket) and an advertised one (what goes into Via
 * and Record-Route); both are ours when a Route or Request-URI names them, and so is every
 * interface address of a listener bound to the wildcard. Which listener a message uses:
 * <ul>
 *   <li>a request is answered and record-routed (caller side) on the listener it arrived on;</li>
 *   <li>a request leaves on the listener of the next hop's transport whose bound address
 *       shares the longest prefix with the next hop's address (the same address wins, then
 *       the same network), so with a public and a PBX-side listener a call entering on one
 *       leaves on the one facing the PBX; a wildcard listener scores zero; on a tie the
 *       listener the request arrived on wins, then the first configured.</li>
 * </ul>
 */
public final class LocalAddresses {
    private final List<ListenAddress> listeners;
    private final Map<Transport, List<ListenAddress>> byTransport = new EnumMap<>(Transport.class);
    private final Map<ListenAddress, byte[]> boundBytes;
    /** host:port (lower case, IPv6 without brackets) of every bound and advertised address. */
    private final Set<String> own = new HashSet<>();

    public LocalAddresses(List<ListenAddress> listeners) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("listen: empty (expected: at least one transport:host:port)");
        }
        this.listeners = List.copyOf(listeners);
        Map<ListenAddress, byte[]> bytes = new java.util.HashMap<>();
        for (ListenAddress l : this.listeners) {
            byTransport.computeIfAbsent(l.transport(), t -> new ArrayList<>()).add(l);
            own.add(key(l.bareAdvertisedHost(), l.advertisedPort()));
            if (l.bindsWildcard()) {
                // the socket answers on every address of the machine: each one is ours too
                for (InetAddress a : interfaceAddresses()) {
                    own.add(key(a.getHostAddress().replaceAll("%.*$", ""), l.port()));
                }
            } else {
                own.add(key(l.bareHost(), l.port()));
                bytes.put(l, literal(l.bareHost()));
            }
        }
        byTransport.replaceAll((t, list) -> List.copyOf(list));
        this.boundBytes = Map.copyOf(bytes);
    }

    public List<ListenAddress> all() {
        return listeners;
    }

    /** Whether this router listens on {@code transport} at all. */
    public boolean has(Transport transport) {
        return byTransport.containsKey(transport);
    }

    /** Whether {@code uri} names one of our addresses (bound or advertised), default port 5060/5061. */
    public boolean isOwn(URI uri) {
        if (!(uri instanceof SipURI sip) || sip.getHost() == null) {
            return false;
        }
        String host = sip.getHost();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = sip.getPort() > 0 ? sip.getPort() : sip.isSecure() ? 5061 : 5060;
        return own.contains(key(host, port));
    }

    /** Whether {@code host:port} (a Via sent-by; port -1 or 0: 5060) is one of our addresses. */
    public boolean isOwn(String host, int port) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return own.contains(key(bare, port > 0 ? port : 5060));
    }

    /**
     * The listener a message arrived on: the one of {@code transport} bound to
     * {@code localAddress:localPort}, else the first of that transport, else the first at all.
     */
    public ListenAddress arrival(Transport transport, InetAddress localAddress, int localPort) {
        List<ListenAddress> candidates = byTransport.get(transport);
        if (candidates == null) {
            return listeners.get(0);
        }
        for (ListenAddress l : candidates) {
            if (l.port() == localPort && (l.bindsWildcard() || localAddress == null
                    || java.util.Arrays.equals(boundBytes.get(l), localAddress.getAddress()))) {
                return l;
            }
        }
        return candidates.get(0);
    }

    /**
     * The listener a request to {@code destination} over {@code transport} leaves from (the
     * rule in the class comment); {@code null} when we do not listen on that transport.
     *
     * @param destination the next hop's address, or null when not known yet
     * @param arrival     the listener the request came in on, preferred on a tie; may be null
     */
    public ListenAddress toward(Transport transport, InetAddress destination, ListenAddress arrival) {
        List<ListenAddress> candidates = byTransport.get(transport);
        if (candidates == null) {
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        ListenAddress best = null;
        int bestScore = -1;
        byte[] target = destination == null ? null : destination.getAddress();
        for (ListenAddress l : candidates) {
            int score = commonPrefix(boundBytes.get(l), target);
            if (score > bestScore || score == bestScore && l.equals(arrival)) {
                best = l;
                bestScore = score;
            }
        }
        return best;
    }

    /** The first listener of {@code transport}, or null. */
    public ListenAddress first(Transport transport) {
        List<ListenAddress> candidates = byTransport.get(transport);
        return candidates == null ? null : candidates.get(0);
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        if (a == null || b == null || a.length != b.length) {
            return 0;
        }
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            int diff = (a[i] ^ b[i]) & 0xff;
            if (diff != 0) {
                return bits + Integer.numberOfLeadingZeros(diff) - 24;
            }
            bits += 8;
        }
        return bits;
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                all.addAll(java.util.Collections.list(nic.getInetAddresses()));
            }
        } catch (java.net.SocketException e) {
            // no interface list: only the advertised address counts as ours
        }
        return all;
    }

    private static byte[] literal(String host) {
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null; // a listener named by host name: no prefix to compare
        }
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
