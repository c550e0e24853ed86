package io.sipvane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Reading request bodies strictly (a wrong JSON type is a 422 naming the field, never a
 * silent default) and building response bodies.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The body as a JSON object; 400 when it is not valid JSON or not an object. */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty (expected: a JSON object)");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable request body");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Present and not null. */
    static boolean has(JsonNode body, String field) {
        return body.has(field) && !body.get(field).isNull();
    }

    static String string(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field + ": " + v + " (expected: a string)");
        }
        return v.textValue();
    }

    static Integer integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.invalid(field + ": " + v + " (expected: an integer)");
        }
        return v.intValue();
    }

    static Boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid(field + ": " + v + " (expected: true or false)");
        }
        return v.booleanValue();
    }

    static UUID uuid(JsonNode body, String field) {
        String text = string(body, field);
        if (text == null || text.isEmpty()) {
            return null;
        }
        return parseUuid(text, field);
    }

    static UUID parseUuid(String text, String field) {
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equalsIgnoreCase(text)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiException.invalid(field + ": \"" + text + "\" (expected: a UUID)");
    }

    static String timestamp(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
