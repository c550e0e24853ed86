package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code limit} (default 20; at most 20 for Plivo, 100 for Vobiz, as their documents say) and
 * {@code offset} paging with each flavour's {@code meta} block.
 */
record Page(int limit, int offset) {
    static final int MAX_LIMIT = 20;
    static final int VOBIZ_MAX_LIMIT = 100;

    static Page of(Map<String, List<String>> query) {
        return of(query, MAX_LIMIT);
    }

    static Page of(Map<String, List<String>> query, int maxLimit) {
        int limit = param(query, "limit", MAX_LIMIT);
        int offset = param(query, "offset", 0);
        if (limit < 1 || limit > maxLimit) {
            throw ApiException.badRequest("limit: " + limit + " (expected: 1.." + maxLimit + ")");
        }
        if (offset < 0) {
            throw ApiException.badRequest("offset: " + offset + " (expected: >= 0)");
        }
        return new Page(limit, offset);
    }

    private static int param(Map<String, List<String>> query, String name, int fallback) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        String v = values.get(values.size() - 1);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": \"" + v + "\" (expected: an integer)");
        }
    }

    /** A list response: {@code meta} and one page of {@code all} rendered by {@code render}. */
    static <T> ApiResponse list(Map<String, List<String>> query, List<T> all, String path,
                                java.util.function.Function<T, ObjectNode> render) {
        Page page = of(query);
        ObjectNode body = Json.object();
        body.set("meta", page.meta(all.size(), path));
        var objects = body.putArray("objects");
        page.slice(all).forEach(o -> objects.add(render.apply(o)));
        return ApiResponse.ok(body);
    }

    /**
     * A Vobiz list: exactly {@code meta: {limit, offset, total}} and {@code objects}, the shape
     * the official Vobiz SDKs model (and whose models forbid any other key).
     */
    static <T> ApiResponse vobizList(Map<String, List<String>> query, List<T> all,
                                     java.util.function.Function<T, ObjectNode> render) {
        Page page = of(query, VOBIZ_MAX_LIMIT);
        ObjectNode body = Json.object();
        ObjectNode meta = body.putObject("meta");
        meta.put("limit", page.limit);
        meta.put("offset", page.offset);
        meta.put("total", all.size());
        var objects = body.putArray("objects");
        page.slice(all).forEach(o -> objects.add(render.apply(o)));
        return ApiResponse.exact(200, body);
    }

    <T> List<T> slice(List<T> all) {
        int from = Math.min(offset, all.size());
        return all.subList(from, Math.min(all.size(), from + limit));
    }

    /** The meta block; {@code path} is the list path without a leading slash, with any filter query. */
    ObjectNode meta(int total, String path) {
        String q = path.contains("?") ? "&" : "?";
        ObjectNode meta = Json.object();
        meta.put("limit", limit);
        meta.put("offset", offset);
        meta.put("total_count", total);
        if (offset > 0) {
            meta.put("previous", path + q + "limit=" + limit + "&offset=" + Math.max(0, offset - limit));
        } else {
            meta.putNull("previous");
        }
        if (offset + limit < total) {
            meta.put("next", path + q + "limit=" + limit + "&offset=" + (offset + limit));
        } else {
            meta.putNull("next");
        }
        return meta;
    }
}
