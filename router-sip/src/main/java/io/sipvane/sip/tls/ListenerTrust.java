package io.sipvane.sip.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the certificate a caller presents to a listener ({@code tls.client_auth} optional
 * or required) against the CA bundle the files hold now. Without {@code tls.ca} no client
 * certificate is accepted (the config refuses client_auth without one).
 */
final class ListenerTrust extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];
    private final Supplier<TlsMaterial> current;

    ListenerTrust(Supplier<TlsMaterial> current) {
        this.current = current;
    }

    private X509ExtendedTrustManager trust() throws CertificateException {
        X509ExtendedTrustManager trust = current.get().clientTrust;
        if (trust == null) {
            throw new CertificateException("no tls.ca to verify client certificates against");
        }
        return trust;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        trust().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("server-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // the CA names a listener sends when it asks for a client certificate
        X509ExtendedTrustManager trust = current.get().clientTrust;
        return trust == null ? NONE : trust.getAcceptedIssuers();
    }
}
