package io.sipvane.admin.console;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.Set;

/**
 * One console request, copied out of Netty's buffer so it may be answered from another thread.
 *
 * @param path  the decoded path, e.g. {@code /console/uris/ID/disable}
 * @param query the query string's fields
 * @param body  the raw body (a form for POSTs)
 */
record ConsoleRequest(HttpMethod method, String path, Form query, HttpHeaders headers, byte[] body) {

    /** The value of cookie {@code name}, or null. */
    String cookie(String name) {
        String header = headers.get("Cookie");
        if (header == null) {
            return null;
        }
        Set<Cookie> cookies = ServerCookieDecoder.STRICT.decode(header);
        for (Cookie c : cookies) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        return null;
    }

    /** Sent by htmx: answer with a fragment rather than a page or a redirect. */
    boolean fromHtmx() {
        return "true".equals(headers.get("HX-Request"));
    }

    /** Behind a TLS-terminating proxy that says so: cookies get {@code Secure}. */
    boolean overHttps() {
        return "https".equalsIgnoreCase(headers.get("X-Forwarded-Proto"));
    }

    Form form() {
        return Form.ofBody(body);
    }
}
