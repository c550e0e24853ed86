package io.sipvane.admin.console;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The fields of an {@code application/x-www-form-urlencoded} body or a query string; the first value of each name. */
record Form(Map<String, List<String>> fields) {
    static final Form EMPTY = new Form(Map.of());

    static Form ofBody(byte[] body) {
        if (body.length == 0) {
            return EMPTY;
        }
        return new Form(new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                .parameters());
    }

    static Form ofQuery(String uri) {
        return new Form(new QueryStringDecoder(uri).parameters());
    }

    /** The first value of {@code name}, or null. */
    String get(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value, trimmed, or "" when absent. */
    String text(String name) {
        String v = get(name);
        return v == null ? "" : v.trim();
    }
}
