package io.sipvane.store.postgres;

import io.sipvane.core.config.TenantChange;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes the difference between two versions of the tenant data inside the caller's
 * transaction: upserts of what is new or changed, deletes of what is gone, in an order the
 * foreign keys accept (accounts, trunks, URIs in; URIs, trunks, accounts out). An API write
 * touches one row, so a write costs one or two statements whatever the size of the data;
 * the rows to write come from the writer's {@link TenantChange}, found by reference, so
 * neither is there a pass over every row. The database stamps each row with the version
 * that wrote it and records removals (migration V3), for the other routers to catch up.
 */
final class TenantWriter {
    private TenantWriter() {}

    /** Writes the difference found by comparing every row; returns the number of rows written. */
    static int write(Connection c, TenantData before, TenantData after) throws SQLException {
        TenantChange whole = TenantChange.of(new TenantChange.Part<>(after.accounts(), List.of(), List.of()),
                new TenantChange.Part<>(after.trunks(), List.of(), List.of()),
                new TenantChange.Part<>(after.originationUris(), List.of(), List.of()));
        return write(c, whole, before, after);
    }

    /**
     * Writes {@code change}, the difference between {@code before} and {@code after} as the
     * writer found it; a list the change holds whole is compared row by row. Returns the
     * number of rows written.
     */
    static int write(Connection c, TenantChange change, TenantData before, TenantData after) throws SQLException {
        int rows = 0;
        rows += upsertAccounts(c, set(change.accounts(), before.accounts(), after.accounts(), Account::authId));
        rows += upsertTrunks(c, set(change.trunks(), before.trunks(), after.trunks(), Trunk::id));
        rows += upsertUris(c, set(change.originationUris(), before.originationUris(), after.originationUris(),
                OriginationUri::id));
        rows += delete(c, "origination_uris", "id", removed(change.originationUris(), before.originationUris(),
                after.originationUris(), OriginationUri::id));
        rows += delete(c, "trunks", "id", removed(change.trunks(), before.trunks(), after.trunks(), Trunk::id));
        rows += delete(c, "accounts", "auth_id", removed(change.accounts(), before.accounts(), after.accounts(),
                Account::authId));
        return rows;
    }

    private static <T, K> List<T> set(TenantChange.Part<T> part, List<T> before, List<T> after, Function<T, K> key) {
        return part.all() != null ? changed(before, after, key) : part.set();
    }

    private static <T, K> List<?> removed(TenantChange.Part<T> part, List<T> before, List<T> after, Function<T, K> key) {
        return part.all() != null ? gone(before, after, key) : part.removed();
    }

    static <T, K> List<T> changed(List<T> before, List<T> after, Function<T, K> key) {
        Map<K, T> old = new HashMap<>();
        before.forEach(t -> old.put(key.apply(t), t));
        return after.stream().filter(t -> !Objects.equals(old.get(key.apply(t)), t)).toList();
    }

    static <T, K> List<K> gone(List<T> before, List<T> after, Function<T, K> key) {
        Set<K> kept = new HashSet<>();
        after.forEach(t -> kept.add(key.apply(t)));
        return before.stream().map(key).filter(k -> !kept.contains(k)).toList();
    }

    private static int upsertAccounts(Connection c, List<Account> accounts) throws SQLException {
        if (accounts.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO accounts (auth_id, auth_token, auth_token_env, name, operator) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (auth_id) DO UPDATE SET auth_token = excluded.auth_token,
                    auth_token_env = excluded.auth_token_env, name = excluded.name, operator = excluded.operator""")) {
            for (Account a : accounts) {
                ps.setString(1, a.authId());
                ps.setString(2, a.authToken());
                ps.setString(3, a.authTokenEnv());
                ps.setString(4, a.name());
                ps.setBoolean(5, a.operator());
                ps.addBatch();
            }
            return ps.executeBatch().length;
        }
    }

    private static int upsertTrunks(Connection c, List<Trunk> trunks) throws SQLException {
        if (trunks.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trunks (id, account_id, name, trunk_direction, match_numbers, match_domains, match_default,
                    failover_on_codes, failover_attempt_timeout_ms, failover_max_attempts, health_probing,
                    health_probe_interval_ms, primary_uri_uuid, fallback_uri_uuid, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name,
                    trunk_direction = excluded.trunk_direction, match_numbers = excluded.match_numbers,
                    match_domains = excluded.match_domains, match_default = excluded.match_default,
                    failover_on_codes = excluded.failover_on_codes,
                    failover_attempt_timeout_ms = excluded.failover_attempt_timeout_ms,
                    failover_max_attempts = excluded.failover_max_attempts, health_probing = excluded.health_probing,
                    health_probe_interval_ms = excluded.health_probe_interval_ms,
                    primary_uri_uuid = excluded.primary_uri_uuid, fallback_uri_uuid = excluded.fallback_uri_uuid,
                    created_at = excluded.created_at, updated_at = excluded.updated_at""")) {
            for (Trunk t : trunks) {
                ps.setObject(1, t.id());
                ps.setString(2, t.accountId());
                ps.setString(3, t.name());
                ps.setString(4, t.direction());
                ps.setArray(5, c.createArrayOf("text", t.match().numbers().toArray()));
                ps.setArray(6, c.createArrayOf("text", t.match().domains().toArray()));
                ps.setBoolean(7, t.match().isDefault());
                List<Integer> codes = t.failover().onCodes();
                if (codes == null) {
                    ps.setNull(8, Types.ARRAY);
                } else {
                    ps.setArray(8, c.createArrayOf("integer", codes.toArray()));
                }
                ps.setObject(9, t.failover().attemptTimeoutMs(), Types.INTEGER);
                ps.setObject(10, t.failover().maxAttempts(), Types.INTEGER);
                ps.setObject(11, t.health().probing(), Types.BOOLEAN);
                ps.setObject(12, t.health().probeIntervalMs(), Types.INTEGER);
                ps.setObject(13, t.primaryUriId());
                ps.setObject(14, t.fallbackUriId());
                ps.setTimestamp(15, timestamp(t.createdAt()));
                ps.setTimestamp(16, timestamp(t.updatedAt()));
                ps.addBatch();
            }
            return ps.executeBatch().length;
        }
    }

    private static int upsertUris(Connection c, List<OriginationUri> uris) throws SQLException {
        if (uris.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO origination_uris (id, account_id, trunk_id, name, uri, priority, weight, enabled, transport,
                    authentication_needed, username, password, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, trunk_id = excluded.trunk_id,
                    name = excluded.name, uri = excluded.uri, priority = excluded.priority, weight = excluded.weight,
                    enabled = excluded.enabled, transport = excluded.transport,
                    authentication_needed = excluded.authentication_needed, username = excluded.username,
                    password = excluded.password, created_at = excluded.created_at, updated_at = excluded.updated_at""")) {
            for (OriginationUri u : uris) {
                ps.setObject(1, u.id());
                ps.setString(2, u.accountId());
                ps.setObject(3, u.trunkId());
                ps.setString(4, u.name());
                ps.setString(5, u.uri());
                ps.setInt(6, u.priority());
                ps.setInt(7, u.weight());
                ps.setBoolean(8, u.enabled());
                ps.setString(9, u.transport().token());
                ps.setBoolean(10, u.authenticationNeeded());
                ps.setString(11, u.username());
                ps.setString(12, u.password());
                ps.setTimestamp(13, timestamp(u.createdAt()));
                ps.setTimestamp(14, timestamp(u.updatedAt()));
                ps.addBatch();
            }
            return ps.executeBatch().length;
        }
    }

    private static int delete(Connection c, String table, String key, List<?> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + key + " = ?")) {
            for (Object id : ids) {
                ps.setObject(1, id instanceof UUID || !"id".equals(key) ? id : UUID.fromString(id.toString()));
                ps.addBatch();
            }
            return ps.executeBatch().length;
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
