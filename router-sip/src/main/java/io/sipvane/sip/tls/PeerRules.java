package io.sipvane.sip.tls;

import io.sipvane.core.config.TlsSettings.TlsDestination;
import java.net.Socket;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** The {@code tls.destinations} rule of the peer a client handshake is with, from the session's peer host and port. */
final class PeerRules {
    private PeerRules() {}

    static TlsDestination of(TlsMaterial material, Socket socket) {
        return socket instanceof SSLSocket tls ? of(material, tls.getHandshakeSession()) : null;
    }

    static TlsDestination of(TlsMaterial material, SSLEngine engine) {
        return engine == null ? null : of(material, engine.getHandshakeSession());
    }

    private static TlsDestination of(TlsMaterial material, SSLSession session) {
        if (session == null || session.getPeerHost() == null) {
            return null;
        }
        return material.settings.destination(session.getPeerHost(), session.getPeerPort());
    }

    static String describe(Socket socket) {
        if (socket instanceof SSLSocket tls && tls.getHandshakeSession() != null) {
            SSLSession s = tls.getHandshakeSession();
            return s.getPeerHost() + ":" + s.getPeerPort();
        }
        return socket == null ? "?" : socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }
}
