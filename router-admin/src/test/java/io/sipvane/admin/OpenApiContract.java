package io.sipvane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an API response against {@code openapi.json} (the document the server serves): the
 * operation must document the status, and a JSON body must validate against that response's
 * schema, with networknt's JSON Schema validator in the OpenAPI 3.1 dialect. Every request the
 * API tests send through {@link AdminFixture} is checked.
 */
final class OpenApiContract {
    private static final JsonNode DOC = AdminHandler.OPENAPI;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance());
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private OpenApiContract() {}

    static void check(String method, URI uri, int status, String contentType, String body) {
        String template = template(uri.getPath());
        String m = method.toLowerCase(Locale.ROOT);
        JsonNode operation = template == null ? null : DOC.get("paths").get(template).get(m);
        String pointer;
        if (operation == null) {
            // an undocumented path or method: only an error may come back
            assertThat(status).as("%s %s: undocumented path or method answered", method, uri).isIn(401, 404, 405);
            pointer = "/components/schemas/Error";
        } else {
            JsonNode response = operation.get("responses").get(Integer.toString(status));
            assertThat(response).as("%s %s: status %d is not documented for %s", method, uri, status, template).isNotNull();
            String ref = response.has("$ref") ? response.get("$ref").asText().substring(1) : null;
            JsonNode resolved = ref == null ? response : DOC.at(ref);
            JsonNode content = resolved.get("content");
            if (content == null) {
                assertThat(body).as("%s %s %d: no body documented", method, uri, status).isEmpty();
                return;
            }
            if (!content.has("application/json")) {
                assertThat(contentType).startsWith(content.fieldNames().next());
                return;
            }
            pointer = (ref == null ? "/paths/" + escape(template) + "/" + m + "/responses/" + status : ref)
                    + "/content/application~1json/schema";
        }
        assertThat(contentType).as("%s %s %d", method, uri, status).startsWith("application/json");
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        Schema schema = SCHEMAS.computeIfAbsent(pointer,
                p -> REGISTRY.getSchema(SchemaLocation.of("classpath:openapi.json#" + p)));
        List<Error> errors = schema.validate(json);
        assertThat(errors).as("%s %s %d against %s: %s", method, uri, status, pointer, body).isEmpty();
    }

    /** The documented path a request path matches ("account" in any case; a trailing slash optional), or null. */
    static String template(String path) {
        List<String> actual = segments(path);
        for (var it = DOC.get("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            List<String> t = segments(template);
            if (t.size() != actual.size()) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < t.size() && match; i++) {
                String a = actual.get(i);
                String p = t.get(i);
                match = p.startsWith("{") || p.equals(a) || (p.equals("Account") && a.equalsIgnoreCase(p));
            }
            if (match) {
                return template;
            }
        }
        return null;
    }

    private static List<String> segments(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }
}
