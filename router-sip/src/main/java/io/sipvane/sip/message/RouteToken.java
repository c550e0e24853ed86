package io.sipvane.sip.message;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token our Record-Route entries carry ({@code ;svt=...}), so that an in-dialog request
 * naming us in its Route proves it belongs to a dialog this router set up: an HMAC-SHA256 of
 * the Call-ID and the caller's tag, truncated to 96 bits. Requests from the caller carry that
 * tag as From-tag, requests from the callee as To-tag, so either side verifies.
 *
 * <p>The key comes from {@code sip.route_secret_env} (the same on every router of a cluster,
 * so a BYE may come through any of them), else it is random per process: dialogs then end at
 * a restart of the router that set them up, as they would without their Record-Route.
 *
 * <p>Implementation note: one {@link Mac} per thread (Mac is not thread-safe; init costs more
 * than a call); the comparison is constant-time.
 */
public final class RouteToken {
    /** The URI parameter of our Record-Route entries that carries the token. */
    public static final String PARAMETER = "svt";
    private static final int BYTES = 12;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public RouteToken(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("route secret: " + secret.length + " bytes (expected: >= 16)");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /** A key from the environment variable {@code env} (its UTF-8 bytes), or a random one when {@code env} is null. */
    public static RouteToken fromEnvironment(String env) {
        if (env == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new RouteToken(random);
        }
        String value = System.getenv(env);
        if (value == null || value.length() < 16) {
            throw new IllegalArgumentException("sip.route_secret_env: environment variable " + env
                    + (value == null ? " is not set" : " holds fewer than 16 characters"));
        }
        return new RouteToken(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The token for a dialog of {@code callId} set up by a caller with tag {@code callerTag}. */
    public String sign(String callId, String callerTag) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest(callId, callerTag));
    }

    /** Whether {@code token} was signed for this Call-ID and either tag. */
    public boolean verify(String token, String callId, String fromTag, String toTag) {
        if (token == null || callId == null) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return fromTag != null && MessageDigest.isEqual(given, digest(callId, fromTag))
                || toTag != null && MessageDigest.isEqual(given, digest(callId, toTag));
    }

    private byte[] digest(String callId, String tag) {
        Mac mac = macs.get();
        mac.update(callId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return Arrays.copyOf(mac.doFinal(tag == null ? new byte[0] : tag.getBytes(StandardCharsets.UTF_8)), BYTES);
    }
}
