package io.sipvane.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.Account;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who is calling: HTTP Basic {@code auth_id:auth_token} (Plivo) or the {@code X-Auth-ID} /
 * {@code X-Auth-Token} headers (Vobiz); either works on both flavours. Tokens are compared in
 * constant time, and an unknown account costs the same comparison as a wrong token.
 */
final class Accounts {
    private static final byte[] NO_TOKEN = new byte[32];

    private Accounts() {}

    /** The authenticated account; 401 when the credentials are missing or wrong. */
    static Account authenticate(FullHttpRequest request, SipvaneConfig config) {
        String id = request.headers().get("X-Auth-ID");
        String token = request.headers().get("X-Auth-Token");
        if (id == null || token == null) {
            String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw unauthorized();
                }
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    id = decoded.substring(0, colon);
                    token = decoded.substring(colon + 1);
                }
            }
        }
        if (id == null || token == null) {
            throw unauthorized();
        }
        return check(id, token, config);
    }

    /** The account whose {@code auth_id} and {@code auth_token} these are; 401 otherwise (the console's login too). */
    static Account check(String id, String token, SipvaneConfig config) {
        Account account = config.account(id).orElse(null);
        String expected = account == null ? null : account.resolveToken();
        byte[] expectedBytes = expected == null ? NO_TOKEN : expected.getBytes(StandardCharsets.UTF_8);
        boolean match = MessageDigest.isEqual(expectedBytes, token.getBytes(StandardCharsets.UTF_8));
        if (account == null || expected == null || !match) {
            throw unauthorized();
        }
        return account;
    }

    private static ApiException unauthorized() {
        return new ApiException(401, "authentication failed: send HTTP Basic auth_id:auth_token or X-Auth-ID and X-Auth-Token");
    }
}
