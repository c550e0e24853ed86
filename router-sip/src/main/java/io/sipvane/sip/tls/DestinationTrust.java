package io.sipvane.sip.tls;

import io.sipvane.core.config.TlsSettings.TlsDestination;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a destination's certificate: PKIX against the CA bundle (or the JDK's trust store)
 * and the host name, which the JDK checks because every client socket asks for endpoint
 * identification. A destination whose rule says {@code verify: false} is not checked at all.
 * A refusal is reported (for the log) and fails the handshake: a transport error for the call.
 */
final class DestinationTrust extends X509ExtendedTrustManager {
    private final TlsMaterial material;
    private final BiConsumer<String, CertificateException> refused;

    DestinationTrust(TlsMaterial material, BiConsumer<String, CertificateException> refused) {
        this.material = material;
        this.refused = refused;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        TlsDestination rule = PeerRules.of(material, socket);
        if (rule != null && !rule.verify()) {
            return;
        }
        try {
            material.destinationTrust.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            refused.accept(PeerRules.describe(socket), e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        TlsDestination rule = PeerRules.of(material, engine);
        if (rule != null && !rule.verify()) {
            return;
        }
        material.destinationTrust.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // no socket, so no host name to check: never called by the JDK for our sockets
        throw new CertificateException("destination certificates are checked with their connection");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return material.destinationTrust.getAcceptedIssuers();
    }
}
