package io.sipvane.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * HTTP digest as SIP uses it toward a destination that challenges the INVITE (RFC 3261 §22,
 * RFC 2617, RFC 7616 and RFC 8760): MD5, MD5-sess, SHA-256 and SHA-256-sess, with
 * {@code qop=auth} or without qop. {@code auth-int} is not offered by the PBXs we front and
 * is refused. Nothing here logs or prints a password.
 */
public final class Digest {
    private Digest() {}

    /** Whether this algorithm name (case-insensitive, {@code null} = MD5) is supported. */
    static boolean supports(String algorithm) {
        return javaName(algorithm) != null;
    }

    /** Preference among challenges: SHA-256 over MD5 (RFC 8760 §2.4). */
    static int strength(String algorithm) {
        String a = algorithm == null ? "MD5" : algorithm.toUpperCase(Locale.ROOT);
        return a.startsWith("SHA-256") ? 2 : a.startsWith("MD5") ? 1 : 0;
    }

    /**
     * The {@code response} parameter.
     *
     * @param qop {@code "auth"} or {@code null} (RFC 2069 compatibility)
     */
    public static String response(String algorithm, String username, String realm, String password, String method, String uri,
                           String nonce, String qop, String nonceCount, String cnonce) {
        String hash = javaName(algorithm);
        if (hash == null) {
            throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
        }
        String ha1 = hex(hash, username + ":" + realm + ":" + password);
        if (algorithm != null && algorithm.toLowerCase(Locale.ROOT).endsWith("-sess")) {
            ha1 = hex(hash, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = hex(hash, method + ":" + uri);
        if (qop == null) {
            return hex(hash, ha1 + ":" + nonce + ":" + ha2);
        }
        return hex(hash, ha1 + ":" + nonce + ":" + nonceCount + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** {@code auth} when the challenge's qop list offers it, {@code null} when it has no qop. */
    static String chooseQop(String offered) {
        if (offered == null || offered.isBlank()) {
            return null;
        }
        for (String q : offered.split(",")) {
            if (q.trim().equalsIgnoreCase("auth")) {
                return "auth";
            }
        }
        throw new IllegalArgumentException("qop " + offered + " not supported (only auth)");
    }

    private static String javaName(String algorithm) {
        String a = algorithm == null ? "MD5" : algorithm.toUpperCase(Locale.ROOT);
        return switch (a) {
            case "MD5", "MD5-SESS" -> "MD5";
            case "SHA-256", "SHA-256-SESS" -> "SHA-256";
            default -> null;
        };
    }

    private static String hex(String hash, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(hash).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hash + " missing from the JDK", e);
        }
    }
}
