package io.sipvane.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Transport;
import java.time.Instant;
import java.util.UUID;

/**
 * The editable fields of an origination URI, filled from an existing URI and then from a
 * request body, then validated by building the core record (whose messages name the field).
 */
final class UriFields {
    UUID id;
    String accountId;
    UUID trunkId;
    String name;
    String uri;
    int priority = OriginationUri.DEFAULT_PRIORITY;
    int weight = OriginationUri.DEFAULT_WEIGHT;
    boolean enabled = true;
    Transport transport;
    boolean authenticationNeeded;
    String username;
    String password;
    Instant createdAt;
    Instant updatedAt;

    static UriFields of(OriginationUri u) {
        UriFields f = new UriFields();
        f.id = u.id();
        f.accountId = u.accountId();
        f.trunkId = u.trunkId();
        f.name = u.name();
        f.uri = u.uri();
        f.priority = u.priority();
        f.weight = u.weight();
        f.enabled = u.enabled();
        f.transport = u.transport();
        f.authenticationNeeded = u.authenticationNeeded();
        f.username = u.username();
        f.password = u.password();
        f.createdAt = u.createdAt();
        f.updatedAt = u.updatedAt();
        return f;
    }

    /**
     * The optional routing fields both flavours accept on create and update: {@code priority},
     * {@code weight}, {@code enabled} (the Vobiz console settings) and {@code transport}.
     */
    void readRoutingFields(JsonNode body) {
        Integer p = Json.integer(body, "priority");
        if (p != null) {
            priority = p;
        }
        readConsoleFields(body);
        readTransport(body);
    }

    /** Optional {@code weight} and {@code enabled}: the console settings both flavours accept. */
    void readConsoleFields(JsonNode body) {
        Integer w = Json.integer(body, "weight");
        if (w != null) {
            weight = w;
        }
        Boolean e = Json.bool(body, "enabled");
        if (e != null) {
            enabled = e;
        }
    }

    /** {@code uri}, which also resets a transport the old URI implied. */
    void readUri(JsonNode body) {
        String newUri = Json.string(body, "uri");
        if (newUri != null && !newUri.equals(uri)) {
            uri = newUri;
            transport = null; // derived again from the new URI unless the body names one
        }
    }

    private void readTransport(JsonNode body) {
        String t = Json.string(body, "transport");
        if (t != null) {
            try {
                transport = Transport.parse(t);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(e.getMessage());
            }
        }
    }

    OriginationUri build() {
        try {
            return new OriginationUri(id, accountId, trunkId, name, uri, null, priority, weight, enabled, transport,
                    authenticationNeeded, username, password, createdAt, updatedAt);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }
}
