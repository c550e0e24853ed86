package io.sipvane.sip.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * The cipher suites sipvane offers and accepts, whatever the JDK would enable: TLS 1.3's
 * three, and for TLS 1.2 only forward-secret key exchange (ECDHE, DHE) with an AEAD cipher
 * (AES-GCM, ChaCha20-Poly1305). That rules out anonymous, NULL, export, RC4, 3DES and every
 * CBC suite (CBC-SHA1 among them) by construction rather than by a deny list that a new
 * JDK could outgrow. JAIN-SIP's own default list has anonymous DH and 3DES in it.
 */
public final class TlsSuites {
    private TlsSuites() {}

    /** The acceptable suites among {@code supported}, TLS 1.3's first, in the JDK's order otherwise. */
    public static String[] allowed(String[] supported) {
        List<String> tls13 = new ArrayList<>();
        List<String> tls12 = new ArrayList<>();
        for (String suite : supported) {
            if (isTls13(suite)) {
                tls13.add(suite);
            } else if (acceptableTls12(suite)) {
                tls12.add(suite);
            }
        }
        tls13.addAll(tls12);
        return tls13.toArray(String[]::new);
    }

    static boolean isTls13(String suite) {
        return suite.equals("TLS_AES_128_GCM_SHA256") || suite.equals("TLS_AES_256_GCM_SHA384")
                || suite.equals("TLS_CHACHA20_POLY1305_SHA256");
    }

    static boolean acceptableTls12(String suite) {
        boolean forwardSecret = suite.startsWith("TLS_ECDHE_ECDSA_WITH_") || suite.startsWith("TLS_ECDHE_RSA_WITH_")
                || suite.startsWith("TLS_DHE_RSA_WITH_");
        boolean aead = suite.contains("_GCM_") || suite.endsWith("_CHACHA20_POLY1305_SHA256");
        return forwardSecret && aead;
    }
}
