package io.sipvane.sip.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests, made with BouncyCastle: a CA, and
 * certificates it issues (or that sign themselves) for given names and IP addresses, valid or
 * expired, written as PEM files (what the router reads) and as PKCS#12 key stores (what
 * JAIN-SIP's stock TLS layer in the test user agents reads). EC P-256 keys: fast to make.
 */
public final class TestPki {
    public static final char[] PASSWORD = "changeit".toCharArray();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    public final Path dir;
    public final String name;
    private final KeyPair caKeys;
    public final X509Certificate ca;
    /** The CA certificate, PEM: the router's {@code tls.ca}. */
    public final Path caPem;
    /** The CA certificate as a PKCS#12 trust store for the test user agents. */
    public final Path trustStore;

    /** A certificate and its key, in the files each side reads. */
    public record Issued(X509Certificate certificate, Path certificatePem, Path keyPem, Path keyStore) {}

    private TestPki(Path dir, String name) throws IOException, GeneralSecurityException {
        this.dir = Files.createDirectories(dir);
        this.name = name;
        this.caKeys = keyPair();
        X500Name subject = new X500Name("CN=" + name + " test CA");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), subject, caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.ca = sign(b, caKeys);
        this.caPem = write(dir.resolve(name + "-ca.pem"), List.of(ca));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        this.trustStore = dir.resolve(name + "-ca.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD);
        }
    }

    public static TestPki create(Path dir, String name) {
        try {
            return new TestPki(dir, name);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS client socket to 127.0.0.1:{@code port} that trusts this CA (10 s read timeout), not yet handshaken. */
    public javax.net.ssl.SSLSocket connect(int port) throws IOException {
        try {
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            tmf.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
            s.setSoTimeout(10_000);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** A certificate for {@code names} (host names or IP literals) valid from yesterday for 30 days. */
    public Issued issue(String file, String... names) {
        Instant now = Instant.now();
        return issue(file, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, names);
    }

    /** A certificate for {@code names} that expired yesterday. */
    public Issued expired(String file, String... names) {
        Instant now = Instant.now();
        return issue(file, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), false, names);
    }

    /** A certificate for {@code names} signed by its own key, which no CA vouches for. */
    public Issued selfSigned(String file, String... names) {
        Instant now = Instant.now();
        return issue(file, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), true, names);
    }

    private Issued issue(String file, Instant from, Instant to, boolean self, String... names) {
        try {
            KeyPair keys = keyPair();
            X500Name subject = new X500Name("CN=" + (names.length > 0 ? names[0] : file));
            X500Name issuer = self ? subject : new X500Name(ca.getSubjectX500Principal().getName());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(from), Date.from(to),
                    subject, keys.getPublic());
            List<GeneralName> san = new ArrayList<>();
            for (String n : names) {
                san.add(isIp(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
            }
            if (!san.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san.toArray(GeneralName[]::new)));
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            X509Certificate certificate = sign(b, self ? keys : caKeys);
            List<X509Certificate> chain = self ? List.of(certificate) : List.of(certificate, ca);
            Path certificatePem = write(dir.resolve(file + ".crt"), chain);
            Path keyPem = dir.resolve(file + ".key");
            StringWriter w = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
            }
            Files.writeString(keyPem, w.toString(), StandardCharsets.US_ASCII);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keys.getPrivate(), PASSWORD, chain.toArray(X509Certificate[]::new));
            Path keyStore = dir.resolve(file + ".p12");
            try (OutputStream out = Files.newOutputStream(keyStore)) {
                store.store(out, PASSWORD);
            }
            return new Issued(certificate, certificatePem, keyPem, keyStore);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isIp(String n) {
        return n.matches("[0-9.]+") || n.contains(":");
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
        try {
            ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(s));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static Path write(Path file, List<X509Certificate> certificates) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        }
        Files.writeString(file, w.toString(), StandardCharsets.US_ASCII);
        return file;
    }
}
