package io.sipvane.store.postgres;

import io.sipvane.core.config.TenantChange;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.FailoverOverride;
import io.sipvane.core.model.HealthOverride;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Transport;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the version row and the tenant tables. Rows go through the model's constructors, so
 * a row edited by hand into something invalid fails the read with the field named
 * ({@link IllegalArgumentException}) and the router keeps the snapshot it has.
 */
final class TenantReader {
    private TenantReader() {}

    static long version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM store_version")) {
            if (!rs.next()) {
                throw new SQLException("the store_version row is missing", "55000");
            }
            return rs.getLong(1);
        }
    }

    /** Everything, consistently: in a repeatable-read transaction unless the caller has one open. */
    static TenantData read(Connection c) throws SQLException {
        return consistently(c, () -> new TenantData(version(c), accounts(c, ALL), trunks(c, ALL), uris(c, ALL)));
    }

    /**
     * What changed after version {@code since}, consistently: the rows written since (in
     * table order) and the ids removed since. Complete only while the database keeps the
     * removals of those versions ({@link #KEPT_VERSIONS}).
     */
    static TenantDelta readSince(Connection c, long since) throws SQLException {
        return consistently(c, () -> {
            long version = version(c);
            Map<String, List<String>> removed = removedSince(c, since);
            return new TenantDelta(since, version, TenantChange.of(
                    TenantChange.Part.of(accounts(c, since), removed.getOrDefault("accounts", List.of())),
                    TenantChange.Part.of(trunks(c, since), removed.getOrDefault("trunks", List.of())),
                    TenantChange.Part.of(uris(c, since), removed.getOrDefault("origination_uris", List.of()))));
        });
    }

    /** How many versions of removals the database keeps: a router further behind reads everything. */
    static final long KEPT_VERSIONS = 1_000;
    private static final long ALL = -1;

    private interface Read<T> {
        T read() throws SQLException;
    }

    private static <T> T consistently(Connection c, Read<T> read) throws SQLException {
        boolean own = c.getAutoCommit();
        if (own) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
        }
        try {
            T data = read.read();
            if (own) {
                c.commit();
            }
            return data;
        } catch (SQLException | RuntimeException e) {
            if (own) {
                rollbackQuietly(c);
            }
            throw e;
        } finally {
            if (own && !c.isClosed()) {
                c.setAutoCommit(true);
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
    }

    private static Map<String, List<String>> removedSince(Connection c, long since) throws SQLException {
        Map<String, List<String>> removed = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT table_name, id FROM removed_rows WHERE version > ? ORDER BY version")) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    removed.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return removed;
    }

    /** The rows written after version {@code since} ({@link #ALL}: every row), in table order. */
    private static ResultSet rows(Connection c, String select, long since) throws SQLException {
        PreparedStatement ps = c.prepareStatement(select + (since == ALL ? "" : " WHERE changed_in > ?") + " ORDER BY position");
        ps.closeOnCompletion();
        ps.setFetchSize(1000);
        if (since != ALL) {
            ps.setLong(1, since);
        }
        return ps.executeQuery();
    }

    private static List<Account> accounts(Connection c, long since) throws SQLException {
        List<Account> out = new ArrayList<>();
        try (ResultSet rs = rows(c, "SELECT auth_id, auth_token, auth_token_env, name, operator FROM accounts", since)) {
            while (rs.next()) {
                out.add(new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)));
            }
        }
        return out;
    }

    private static List<Trunk> trunks(Connection c, long since) throws SQLException {
        List<Trunk> out = new ArrayList<>();
        try (ResultSet rs = rows(c, """
                SELECT id, account_id, name, trunk_direction, match_numbers, match_domains, match_default,
                       failover_on_codes, failover_attempt_timeout_ms, failover_max_attempts,
                       health_probing, health_probe_interval_ms, primary_uri_uuid, fallback_uri_uuid,
                       created_at, updated_at
                FROM trunks""", since)) {
            while (rs.next()) {
                TrunkMatch match = new TrunkMatch(strings(rs.getArray(5)), strings(rs.getArray(6)), rs.getBoolean(7));
                FailoverOverride failover = new FailoverOverride(integers(rs.getArray(8)), integer(rs, 9), integer(rs, 10));
                Boolean probing = rs.getBoolean(11);
                probing = rs.wasNull() ? null : probing;
                HealthOverride health = new HealthOverride(probing, integer(rs, 12));
                out.add(new Trunk(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), match,
                        failover, health, rs.getObject(13, UUID.class), rs.getObject(14, UUID.class), instant(rs, 15),
                        instant(rs, 16)));
            }
        }
        return out;
    }

    private static List<OriginationUri> uris(Connection c, long since) throws SQLException {
        List<OriginationUri> out = new ArrayList<>();
        try (ResultSet rs = rows(c, """
                SELECT id, account_id, trunk_id, name, uri, priority, weight, enabled, transport,
                       authentication_needed, username, password, created_at, updated_at
                FROM origination_uris""", since)) {
            while (rs.next()) {
                out.add(new OriginationUri(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getString(5), null, rs.getInt(6), rs.getInt(7), rs.getBoolean(8),
                        Transport.parse(rs.getString(9)), rs.getBoolean(10), rs.getString(11), rs.getString(12),
                        instant(rs, 13), instant(rs, 14)));
            }
        }
        return out;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static List<Integer> integers(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((Integer[]) array.getArray());
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            // the connection is gone: the transaction died with it
        }
    }
}
