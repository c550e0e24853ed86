package io.sipvane.sip.proxy;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the branch an {@link javax.sip.IOExceptionEvent} is about. The event names only a
 * transport and a peer, so the branch most recently sent to each peer is kept here until its
 * call ends; the call ignores an error for a branch it has moved past.
 */
final class TransportErrors {
    private final Map<String, Branch> byPeer = new ConcurrentHashMap<>();

    void watch(Branch branch) {
        byPeer.put(key(branch), branch);
    }

    void forget(Branch branch) {
        byPeer.remove(key(branch), branch);
    }

    /** The branch sent last to {@code transport:host:port}, or null. */
    Branch find(String transport, String host, int port) {
        return byPeer.get(key(transport, host, port));
    }

    private static String key(Branch branch) {
        return key(branch.destination.transport().token(), branch.destination.target().bareHost(), branch.destination.port());
    }

    private static String key(String transport, String host, int port) {
        return transport.toLowerCase(Locale.ROOT) + ":" + host + ":" + port;
    }
}
