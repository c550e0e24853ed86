package io.sipvane.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A trunk: the unit calls are matched to. Its route is its Plivo-style primary (priority 1)
 * and fallback (priority 2) URIs when it names them, else the URIs whose {@code trunk_id} is
 * this trunk, else the account's URIs with no {@code trunk_id}.
 */
public record Trunk(
        UUID id,
        String accountId,
        String name,
        String direction,
        TrunkMatch match,
        FailoverOverride failover,
        HealthOverride health,
        UUID primaryUriId,
        UUID fallbackUriId,
        Instant createdAt,
        Instant updatedAt) {

    public static final String INBOUND = "inbound";

    public Trunk {
        Checks.notNull(id, "id");
        Checks.notBlank(accountId, "account_id");
        name = name == null ? "" : name;
        direction = direction == null ? INBOUND : direction;
        if (!INBOUND.equals(direction)) {
            throw new IllegalArgumentException("trunk_direction: \"" + direction + "\" (expected: inbound)");
        }
        match = match == null ? TrunkMatch.NONE : match;
        failover = failover == null ? FailoverOverride.NONE : failover;
        health = health == null ? HealthOverride.NONE : health;
        if (fallbackUriId != null && primaryUriId == null) {
            throw new IllegalArgumentException("fallback_uri_uuid: set without primary_uri_uuid");
        }
        if (primaryUriId != null && primaryUriId.equals(fallbackUriId)) {
            throw new IllegalArgumentException("fallback_uri_uuid: " + fallbackUriId + " is also the primary_uri_uuid");
        }
    }

    /** A trunk without health-check overrides. */
    public Trunk(UUID id, String accountId, String name, String direction, TrunkMatch match, FailoverOverride failover,
                 UUID primaryUriId, UUID fallbackUriId, Instant createdAt, Instant updatedAt) {
        this(id, accountId, name, direction, match, failover, null, primaryUriId, fallbackUriId, createdAt, updatedAt);
    }

    /** Whether this trunk routes to its named primary/fallback URIs (Plivo style). */
    public boolean namesUris() {
        return primaryUriId != null;
    }

    /** This trunk with missing timestamps set to {@code at}. */
    public Trunk stampedIfMissing(Instant at) {
        if (createdAt != null && updatedAt != null) {
            return this;
        }
        return new Trunk(id, accountId, name, direction, match, failover, health, primaryUriId, fallbackUriId,
                createdAt != null ? createdAt : at, updatedAt != null ? updatedAt : at);
    }

    public boolean uses(UUID uriId) {
        return Objects.equals(primaryUriId, uriId) || Objects.equals(fallbackUriId, uriId);
    }
}
