package io.sipvane.admin;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per acknowledged API write on logger {@code io.sipvane.admin.writes}: the
 * account, the HTTP method and the operation ({@code PUT (update)}), the object's kind and id, and each field that changed with its old
 * and new value. Secrets (passwords, tokens) are named as changed, never printed.
 */
final class WriteLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.sipvane.admin.writes");
    private static final Set<String> SECRETS = Set.of("password", "authToken", "auth_token");

    private WriteLog() {}

    /** {@code before} null for a create, {@code after} null for a delete. */
    static void write(String accountId, String operation, String kind, Object id, Record before, Record after) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        List<String> changes = changes(before, after);
        LOG.atInfo().addKeyValue("account", accountId).addKeyValue("method", operation).addKeyValue("object", kind)
                .addKeyValue("id", String.valueOf(id)).addKeyValue("changes", changes)
                .log("api {} {} {} by account {}{}", operation, kind, id, accountId,
                        changes.isEmpty() ? "" : ": " + String.join(", ", changes));
    }

    /** {@code field: old -> new} for every component that differs ({@code updated_at} left out). */
    static List<String> changes(Record before, Record after) {
        List<String> out = new ArrayList<>();
        Record shape = after != null ? after : before;
        if (shape == null || after == null) {
            return out;
        }
        for (RecordComponent c : shape.getClass().getRecordComponents()) {
            if (c.getName().equals("updatedAt") || c.getName().equals("createdAt") || c.getName().equals("target")) {
                continue;
            }
            Object old = before == null ? null : value(c, before);
            Object now = value(c, after);
            if (Objects.equals(old, now) || (before == null && now == null)) {
                continue;
            }
            String field = snake(c.getName());
            if (SECRETS.contains(c.getName())) {
                out.add(field + " changed");
            } else if (before == null) {
                out.add(field + "=" + now);
            } else {
                out.add(field + ": " + old + " -> " + now);
            }
        }
        return out;
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            return "?";
        }
    }

    private static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
