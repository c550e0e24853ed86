package io.sipvane.core.config;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Typed reads of the fields of a YAML mapping, each failing with the field's path and line:
 * what {@link ConfigLoader}'s section readers are made of.
 */
final class YamlFields {
    private YamlFields() {}

    /** The integers of the list at {@code key}, or {@code fallback} when it is absent. */
    static List<Integer> intsOr(Map<String, YamlNode> m, String key, List<Integer> fallback) throws ConfigException {
        if (!m.containsKey(key)) {
            return fallback;
        }
        List<Integer> values = new ArrayList<>();
        for (YamlNode item : m.get(key).list()) {
            values.add(item.integer());
        }
        return values;
    }

    /**
     * Runs a model constructor and turns its {@code field: problem} message into an error at
     * the field's node.
     */
    static <T> T build(YamlNode node, Supplier<T> constructor) throws ConfigException {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(": ");
            String field = colon > 0 ? message.substring(0, colon) : "";
            if (!field.isEmpty() && field.matches("[a-z_]+(\\[[0-9]+\\])?")) {
                YamlNode at = node.locate(field);
                if (at != node) {
                    throw at.fail(message.substring(colon + 2));
                }
            }
            throw node.fail(message);
        }
    }

    static String stripField(String message) {
        int colon = message.indexOf(": ");
        return colon > 0 ? message.substring(colon + 2) : message;
    }

    static List<YamlNode> items(YamlNode node) throws ConfigException {
        return node == null || node.isNull() ? List.of() : node.list();
    }

    static YamlNode required(YamlNode parent, Map<String, YamlNode> m, String key) throws ConfigException {
        YamlNode value = m.get(key);
        if (value == null || value.isNull()) {
            throw new ConfigException(parent.path() + "." + key, value == null ? parent.line() : value.line(), "missing (required)");
        }
        return value;
    }

    static String stringOr(Map<String, YamlNode> m, String key, String fallback) throws ConfigException {
        YamlNode value = m.get(key);
        return value == null || value.isNull() ? fallback : value.string();
    }

    static int intOr(Map<String, YamlNode> m, String key, int fallback) throws ConfigException {
        YamlNode value = m.get(key);
        return value == null ? fallback : value.integer();
    }

    static List<String> strings(YamlNode node) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (YamlNode item : items(node)) {
            out.add(item.string());
        }
        return out;
    }

    static UUID uuid(YamlNode node) throws ConfigException {
        String text = node.string();
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                throw node.fail("\"" + text + "\" is not a UUID");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw node.fail("\"" + text + "\" is not a UUID");
        }
    }

    static Instant instantOr(Map<String, YamlNode> m, String key) throws ConfigException {
        YamlNode value = m.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.string();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw value.fail("\"" + text + "\" is not an ISO 8601 UTC timestamp (expected: 2026-05-10T10:45:30Z)");
        }
    }

    static Set<String> keys(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}
