package io.sipvane.sip.stack;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds whose request an {@link javax.sip.IOExceptionEvent} is about. The event names only a
 * transport and a peer address (the resolved one: next hops are addresses, never names), so
 * every transaction we send statefully is watched here under the address it went to, the
 * latest per peer, until its owner is done with it; an owner ignores an error for a
 * transaction it has moved past.
 */
public final class TransportErrors {
    private final Map<String, TransactionOwner> byPeer = new ConcurrentHashMap<>();

    /** Watches {@code owner}'s transaction to {@code transport:address:port}; returns the key to forget it by. */
    public String watch(String transport, String address, int port, TransactionOwner owner) {
        String key = key(transport, address, port);
        byPeer.put(key, owner);
        return key;
    }

    public void forget(String key, TransactionOwner owner) {
        if (key != null) {
            byPeer.remove(key, owner);
        }
    }

    /** The owner whose transaction went to {@code transport:host:port} last, or null. */
    public TransactionOwner find(String transport, String host, int port) {
        return byPeer.get(key(transport, host, port));
    }

    /**
     * Why a send failed, in one line: the innermost message (the stack wraps the socket's
     * exception in its own), marked as TLS when a handshake or certificate check refused it.
     */
    public static String reason(Throwable failure) {
        String message = null;
        String tls = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                tls = t.getMessage() != null ? t.getMessage() : tls;
            }
        }
        if (tls != null) {
            return MalformedInput.oneLine("TLS: " + tls, 300);
        }
        return MalformedInput.oneLine(message == null ? failure.getClass().getSimpleName() : message, 300);
    }

    private static String key(String transport, String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return transport.toLowerCase(Locale.ROOT) + ":" + bare + ":" + port;
    }
}
