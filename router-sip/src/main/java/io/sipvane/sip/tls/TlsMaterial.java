package io.sipvane.sip.tls;

import io.sipvane.core.config.TlsSettings;
import io.sipvane.core.config.TlsSettings.TlsDestination;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The keys and trust anchors of one reading of the {@code tls:} files: immutable, replaced as
 * a whole when a file changes, so a handshake always sees one consistent set. Loading checks
 * that each key belongs to its certificate; every error names the config key and the file.
 */
final class TlsMaterial {
    private static final char[] NO_PASSWORD = new char[0];

    final TlsSettings settings;
    final long generation;
    /** The router's own certificate for its listeners; null when it has none. */
    final X509ExtendedKeyManager routerKeys;
    /** Client certificates by destination rule, for carriers that require one. */
    final Map<TlsDestination, X509ExtendedKeyManager> destinationKeys;
    /** Verifies destinations: the CA bundle, or the JDK's trust store when none is given. */
    final X509ExtendedTrustManager destinationTrust;
    /** Verifies client certificates: the CA bundle; null without one. */
    final X509ExtendedTrustManager clientTrust;
    /** The files read, with what they looked like, to tell when one changes. */
    final FileStamps stamps;

    private TlsMaterial(TlsSettings settings, long generation, X509ExtendedKeyManager routerKeys,
                        Map<TlsDestination, X509ExtendedKeyManager> destinationKeys, X509ExtendedTrustManager destinationTrust,
                        X509ExtendedTrustManager clientTrust, FileStamps stamps) {
        this.settings = settings;
        this.generation = generation;
        this.routerKeys = routerKeys;
        this.destinationKeys = Map.copyOf(destinationKeys);
        this.destinationTrust = destinationTrust;
        this.clientTrust = clientTrust;
        this.stamps = stamps;
    }

    /** Reads every file {@code settings} names; the message of a failure starts with the config key. */
    static TlsMaterial load(TlsSettings settings, long generation) throws IOException {
        List<Path> files = new ArrayList<>();
        X509ExtendedKeyManager routerKeys = null;
        if (settings.hasCertificate()) {
            routerKeys = keys("tls", settings.certificate(), settings.key(), files);
        }
        Map<TlsDestination, X509ExtendedKeyManager> destinationKeys = new HashMap<>();
        for (int i = 0; i < settings.destinations().size(); i++) {
            TlsDestination d = settings.destinations().get(i);
            if (d.certificate() != null) {
                destinationKeys.put(d, keys("tls.destinations[" + i + "]", d.certificate(), d.key(), files));
            }
        }
        X509ExtendedTrustManager clientTrust = null;
        X509ExtendedTrustManager destinationTrust;
        if (settings.ca() != null) {
            Path ca = Path.of(settings.ca());
            files.add(ca);
            KeyStore anchors = anchors(ca);
            destinationTrust = trust(anchors);
            clientTrust = trust(anchors);
        } else {
            destinationTrust = trust(null);
        }
        return new TlsMaterial(settings, generation, routerKeys, destinationKeys, destinationTrust, clientTrust,
                FileStamps.of(files));
    }

    private static X509ExtendedKeyManager keys(String section, String certificateFile, String keyFile, List<Path> files)
            throws IOException {
        Path certificatePath = Path.of(certificateFile);
        Path keyPath = Path.of(keyFile);
        files.add(certificatePath);
        files.add(keyPath);
        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(certificatePath);
        } catch (IOException e) {
            throw new IOException(section + ".certificate: " + e.getMessage(), e);
        }
        PrivateKey key;
        try {
            key = PemFiles.privateKey(keyPath);
        } catch (IOException e) {
            throw new IOException(section + ".key: " + e.getMessage(), e);
        }
        if (!belongTogether(chain.get(0), key)) {
            throw new IOException(section + ".key: " + keyPath + " is not the key of the certificate in " + certificatePath);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IOException(section + ".certificate: " + certificatePath + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm we cannot test here: the handshake will tell
        }
        try {
            byte[] probe = "sipvane key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyStore anchors(Path ca) throws IOException {
        List<X509Certificate> certificates;
        try {
            certificates = PemFiles.certificates(ca);
        } catch (IOException e) {
            throw new IOException("tls.ca: " + e.getMessage(), e);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("tls.ca: " + ca + ": " + e.getMessage(), e);
        }
    }

    /** PKIX trust over {@code anchors}, or over the JDK's default trust store when null. */
    private static X509ExtendedTrustManager trust(KeyStore anchors) throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IOException("tls.ca: " + e.getMessage(), e);
        }
    }
}
