package io.sipvane.sip.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files of the {@code tls:} section. Certificates go through the JDK; private
 * keys through BouncyCastle's PEM parser, which takes every unencrypted form openssl, certbot
 * and cert-manager write: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}). Errors name the file and what is wrong with it.
 */
final class PemFiles {
    private PemFiles() {}

    /** Every certificate in {@code file}, in file order (a chain: leaf first). */
    static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IOException(file + ": no certificate in the file (expected: PEM, BEGIN CERTIFICATE)");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** The one private key in {@code file}. */
    static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    // the private part only: SEC1 keys may leave the public key out
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException(file + ": the private key is encrypted (expected: an unencrypted key readable"
                            + " only by the sipvane user; decrypt it with openssl pkey)");
                }
            }
            throw new IOException(file + ": no private key in the file (expected: PEM, BEGIN PRIVATE KEY)");
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new IOException(file + ": not a PEM private key: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // the parser throws unchecked exceptions on damaged base64 or ASN.1
            throw new IOException(file + ": not a PEM private key: " + e, e);
        }
    }
}
