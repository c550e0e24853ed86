package io.sipvane.admin.console;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console answers: status, content type, body and extra headers ({@code Set-Cookie}
 * may repeat, so headers are lists). The security headers are added by the handler to every
 * answer.
 */
record ConsoleResponse(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
    static final String HTML = "text/html; charset=utf-8";

    ConsoleResponse {
        headers = Map.copyOf(headers);
    }

    static ConsoleResponse html(int status, String html) {
        return new ConsoleResponse(status, HTML, html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static ConsoleResponse redirect(String location) {
        return new ConsoleResponse(303, HTML, new byte[0], Map.of("Location", List.of(location)));
    }

    static ConsoleResponse text(int status, String text) {
        return new ConsoleResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** This response with one more header value. */
    ConsoleResponse with(String name, String value) {
        Map<String, List<String>> next = new LinkedHashMap<>(headers);
        next.merge(name, List.of(value), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
        return new ConsoleResponse(status, contentType, body, next);
    }
}
