package io.sipvane.admin.console;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Cross-site request forgery checks for every POST of the console. Two independent guards,
 * both required:
 * <ul>
 *   <li>the request must not say it is cross-site: {@code Sec-Fetch-Site}, when sent, is
 *       {@code same-origin} (or {@code none}: typed by the user), and {@code Origin}, when
 *       sent, is this server's own ({@code http(s)://} + {@code Host});</li>
 *   <li>it must carry the session's token, as the form field {@code csrf} or the header
 *       {@code X-CSRF-Token} (htmx sends it), compared in constant time.</li>
 * </ul>
 * The session cookie is also {@code SameSite=Strict}, so a cross-site form does not even
 * carry it; these checks hold when a browser ignores that.
 */
final class Csrf {
    static final String FIELD = "csrf";
    static final String HEADER = "X-CSRF-Token";

    private Csrf() {}

    /** Why the request is refused as cross-site, or null when it is not. */
    static String crossSite(HttpHeaders headers) {
        String site = headers.get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "cross-site request refused (Sec-Fetch-Site: " + site + ")";
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null) {
            String host = headers.get(HttpHeaderNames.HOST);
            if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
                return "cross-site request refused (Origin: " + origin + ")";
            }
        }
        return null;
    }

    /** Whether {@code sent} (form field or header, null when absent) is {@code expected}. */
    static boolean tokenMatches(String expected, String sent) {
        if (expected == null || sent == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    /** The token a request carries: the form field, else the header. */
    static String sentToken(Form form, HttpHeaders headers) {
        String field = form.get(FIELD);
        return field != null ? field : headers.get(HEADER);
    }
}
