package io.sipvane.core.model;

import io.sipvane.core.uri.SipUri;
import java.time.Instant;
import java.util.UUID;

/**
 * An origination URI: one destination (PBX, SBC) calls are sent to. Carries every field of
 * the Plivo Zentrunk and Vobiz origination-URI objects; {@code name} is Plivo's {@code name}
 * and Vobiz's {@code description}. The password is write-only: never printed.
 *
 * @param trunkId  the owning trunk, or {@code null} for an account-level URI
 * @param uri      the URI as the operator wrote it (returned unchanged by the APIs)
 * @param target   {@code uri} parsed and normalized
 * @param weight   share within its priority, 0..65535; 0 = drained
 */
public record OriginationUri(
        UUID id,
        String accountId,
        UUID trunkId,
        String name,
        String uri,
        SipUri target,
        int priority,
        int weight,
        boolean enabled,
        Transport transport,
        boolean authenticationNeeded,
        String username,
        String password,
        Instant createdAt,
        Instant updatedAt) {

    public static final int DEFAULT_PRIORITY = 1;
    public static final int DEFAULT_WEIGHT = 10;
    public static final int MAX_WEIGHT = 65535;

    public OriginationUri {
        Checks.notNull(id, "id");
        Checks.notBlank(accountId, "account_id");
        name = name == null ? "" : name;
        Checks.notBlank(uri, "uri");
        SipUri parsed = SipUri.parse(uri);
        if (target != null && !target.equals(parsed)) {
            throw new IllegalArgumentException("uri: target " + target + " does not match \"" + uri + "\"");
        }
        target = parsed;
        Checks.range(priority, 1, Integer.MAX_VALUE, "priority");
        Checks.range(weight, 0, MAX_WEIGHT, "weight");
        if (transport == null) {
            transport = parsed.transport() != null ? parsed.transport() : parsed.secure() ? Transport.TLS : Transport.UDP;
        }
        if (parsed.transport() != null && parsed.transport() != transport) {
            throw new IllegalArgumentException("transport: " + transport.token() + " conflicts with ;transport="
                    + parsed.transport().token() + " in uri \"" + uri + "\"");
        }
        if (parsed.secure() && transport != Transport.TLS) {
            throw new IllegalArgumentException("transport: " + transport.token() + " cannot carry a sips: uri (expected: tls)");
        }
        if (authenticationNeeded) {
            Checks.notBlank(username, "username");
            Checks.notBlank(password, "password");
        }
    }

    /** A URI with defaults for everything but its identity and destination. */
    public static OriginationUri of(UUID id, String accountId, UUID trunkId, String uri, int priority, int weight) {
        return new OriginationUri(id, accountId, trunkId, null, uri, null, priority, weight, true, null,
                false, null, null, null, null);
    }

    public OriginationUri withPriority(int newPriority) {
        return new OriginationUri(id, accountId, trunkId, name, uri, target, newPriority, weight, enabled, transport,
                authenticationNeeded, username, password, createdAt, updatedAt);
    }

    /** This URI with missing timestamps set to {@code at}. */
    public OriginationUri stampedIfMissing(Instant at) {
        if (createdAt != null && updatedAt != null) {
            return this;
        }
        return new OriginationUri(id, accountId, trunkId, name, uri, target, priority, weight, enabled, transport,
                authenticationNeeded, username, password, createdAt != null ? createdAt : at, updatedAt != null ? updatedAt : at);
    }

    @Override
    public String toString() {
        return "OriginationUri[id=" + id + ", uri=" + uri + ", priority=" + priority + ", weight=" + weight
                + ", enabled=" + enabled + ", transport=" + transport.token() + "]";
    }
}
