package io.sipvane.store.postgres;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.config.TenantChange;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.core.store.ConfigStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts, trunks and origination URIs in PostgreSQL, shared by every router of a cluster;
 * the server settings come from this router's config file.
 *
 * <p>Writes: one transaction each, on this router's writer thread. It locks the single
 * {@code store_version} row ({@code SELECT ... FOR UPDATE}), so writes from all routers
 * serialize: a write always applies its change to the newest committed data (re-read inside
 * the transaction when another router wrote since this one's snapshot), with the same
 * validation as the file store, and no update is ever lost. It writes only the rows that
 * differ, bumps the version, {@code NOTIFY}s the other routers (delivered at commit), commits
 * and publishes to this router's table before the future completes. Catching up (a write
 * after another router's, and the follower) reads only the rows changed since the snapshot
 * and the ids removed since, while the database keeps them ({@link TenantReader#readSince}).
 *
 * <p>Reads never touch the database: {@link #current()} and the routing table are the last
 * snapshot, so calls route and the API reads answer through a database outage. A write
 * during an outage fails with {@link StoreUnavailableException} (the API answers 503 with
 * Retry-After). A {@link ChangeFollower} thread LISTENs for other routers' writes, polls the
 * version row every {@code store.poll_interval_ms} (a NOTIFY sent while its connection was
 * down is lost) and re-reads on reconnect, so every router converges.
 *
 * <p>Memory ordering: {@link #state} is a volatile reference to an immutable (config,
 * version) pair, replaced under {@code this} only by a strictly newer version, so the writer
 * and the follower can both publish without ever moving the table backwards.
 */
public final class PostgresStore implements ConfigStore, ChangeFollower.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    static final String CHANNEL = "sipvane_store";

    private final Database db;
    private final SipvaneConfig settings;
    private final RoutingTable table;
    private final Clock clock;
    private final ExecutorService writer;
    private volatile State state;
    /** Used on the writer thread only; {@code null} after a failure, reopened by the next write. */
    private Connection writeConnection;
    /** Guarded by {@code this}. */
    private ChangeFollower follower;

    private record State(SipvaneConfig config, long version) {}

    private PostgresStore(Database db, SipvaneConfig settings, TenantData data, Connection connection, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        SipvaneConfig config = settings.withTenantData(data.accounts(), data.trunks(), data.originationUris());
        this.state = new State(config, data.version());
        this.table = new RoutingTable(config);
        this.writeConnection = connection;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sipvane-store");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects, brings the schema up to date, imports the file's tenant data into an empty
     * database (once) and reads the data to route with. Fails with a
     * {@link StoreUnavailableException} when the database cannot be reached: a router
     * without a snapshot has nothing to route with.
     *
     * @param fromFile the config file: its server settings are used, its tenant data only
     *                 for the first import
     */
    public static PostgresStore open(SipvaneConfig fromFile, Clock clock) {
        String name = "sipvane" + (fromFile.instance() == null ? "" : " " + fromFile.instance());
        Database db = new Database(fromFile.store(), name);
        Connection connection = null;
        try {
            connection = db.connect();
            db.migrate();
            TenantData data = importIfEmpty(connection, fromFile, clock);
            SipvaneConfig settings = fromFile.withTenantData(List.of(), List.of(), List.of());
            PostgresStore store = new PostgresStore(db, settings, data, connection, clock);
            LOG.info("store {}: version {}, {} accounts, {} trunks, {} origination URIs", db.describe(), data.version(),
                    data.accounts().size(), data.trunks().size(), data.originationUris().size());
            return store;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreUnavailableException("cannot open the store database " + fromFile.store().url() + ": "
                    + e.getMessage(), Failures.RETRY_AFTER_S, e);
        } catch (FlywayException e) {
            closeQuietly(connection);
            throw new StoreUnavailableException("cannot prepare the store database " + fromFile.store().url() + ": "
                    + firstLine(e.getMessage()), Failures.RETRY_AFTER_S, e);
        } catch (IllegalArgumentException e) {
            closeQuietly(connection);
            throw new StoreException("invalid data in the store database " + fromFile.store().url() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The first router to start against an empty database imports the tenant data of its
     * config file; afterwards the database is the source of truth and those sections of the
     * file are ignored (with a warning).
     */
    private static TenantData importIfEmpty(Connection c, SipvaneConfig fromFile, Clock clock) throws SQLException {
        c.setAutoCommit(false);
        try {
            long version = lockVersion(c);
            TenantData existing = TenantReader.read(c);
            if (version == 0 && existing.isEmpty() && fromFile.hasTenantData()) {
                Instant at = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                TenantData imported = new TenantData(1, fromFile.accounts(),
                        fromFile.trunks().stream().map(t -> t.stampedIfMissing(at)).toList(),
                        fromFile.originationUris().stream().map(u -> u.stampedIfMissing(at)).toList());
                TenantWriter.write(c, existing, imported);
                bumpVersion(c, 1);
                c.commit();
                LOG.info("imported {} accounts, {} trunks and {} origination URIs from the config file into the empty "
                        + "store database; from now on the database is the source of truth", imported.accounts().size(),
                        imported.trunks().size(), imported.originationUris().size());
                return imported;
            }
            c.commit();
            if (fromFile.hasTenantData()) {
                LOG.warn("the accounts, trunks and origination_uris of the config file are ignored: with store type "
                        + "postgres the database (version {}) is the source of truth; remove them from the file", version);
            }
            return existing;
        } catch (SQLException | RuntimeException e) {
            TenantReader.rollbackQuietly(c);
            throw e;
        } finally {
            if (!c.isClosed()) {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public SipvaneConfig current() {
        return state.config();
    }

    /** The database version of {@link #current()}. */
    @Override
    public long version() {
        return state.version();
    }

    @Override
    public RoutingTable table() {
        return table;
    }

    @Override
    public String describe() {
        return "store " + db.describe();
    }

    @Override
    public <R> CompletableFuture<R> update(Function<SipvaneConfig, Change<R>> change) {
        return CompletableFuture.supplyAsync(() -> write(change), writer);
    }

    private <R> R write(Function<SipvaneConfig, Change<R>> change) {
        Connection c;
        try {
            c = writeConnection();
        } catch (SQLException e) {
            throw new CompletionException(Failures.toStoreException(e));
        }
        try {
            c.setAutoCommit(false);
            long version = lockVersion(c);
            State base = state;
            SipvaneConfig before = base.version() == version ? base.config() : caughtUp(c, base, version);
            Change<R> result = change.apply(before);
            if (result.config() == before) {
                c.rollback();
                adopt(version, before);
                return result.value();
            }
            SipvaneConfig after = result.config();
            long next = version + 1;
            TenantWriter.write(c, TenantChange.between(before, after), data(version, before), data(next, after));
            bumpVersion(c, next);
            forgetOldRemovals(c, next);
            c.commit();
            adopt(next, after);
            return result.value();
        } catch (SQLException e) {
            TenantReader.rollbackQuietly(c);
            discardWriteConnection();
            LOG.warn("store write failed: {}", e.getMessage());
            throw new CompletionException(Failures.toStoreException(e));
        } catch (RuntimeException e) {
            TenantReader.rollbackQuietly(c);
            throw e;
        } finally {
            try {
                if (writeConnection != null && !c.isClosed()) {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                discardWriteConnection();
            }
        }
    }

    /**
     * Another router wrote since our snapshot: the committed data, to apply the change to.
     * Read as the changes since the snapshot when the database still has them, else whole.
     */
    private SipvaneConfig caughtUp(Connection c, State base, long version) throws SQLException {
        if (version > base.version() && version - base.version() <= TenantReader.KEPT_VERSIONS) {
            return TenantReader.readSince(c, base.version()).change().applyTo(base.config());
        }
        TenantData fresh = TenantReader.read(c);
        return settings.withTenantData(fresh.accounts(), fresh.trunks(), fresh.originationUris());
    }

    /** The removals of versions no router catches up from any more (it reads everything instead). */
    private static void forgetOldRemovals(Connection c, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM removed_rows WHERE version <= ?")) {
            ps.setLong(1, version - TenantReader.KEPT_VERSIONS);
            ps.executeUpdate();
        }
    }

    private static TenantData data(long version, SipvaneConfig config) {
        return new TenantData(version, config.accounts(), config.trunks(), config.originationUris());
    }

    /**
     * The writer's connection, checked with a round trip first: after an outage the idle
     * connection is broken, and the first write must not fail for that.
     */
    private Connection writeConnection() throws SQLException {
        if (writeConnection != null && !writeConnection.isValid(Database.CONNECT_TIMEOUT_S)) {
            discardWriteConnection();
        }
        if (writeConnection == null) {
            writeConnection = db.connect();
        }
        return writeConnection;
    }

    private void discardWriteConnection() {
        closeQuietly(writeConnection);
        writeConnection = null;
    }

    static long lockVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM store_version FOR UPDATE")) {
            if (!rs.next()) {
                throw new SQLException("the store_version row is missing", "55000");
            }
            return rs.getLong(1);
        }
    }

    /** Within the write's transaction; the notification is delivered when it commits. */
    private static void bumpVersion(Connection c, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE store_version SET version = ?, changed_at = now()")) {
            ps.setLong(1, version);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            ps.setString(1, Long.toString(version));
            ps.execute();
        }
    }

    /** Publishes {@code config} if it is newer than the current snapshot. */
    private synchronized boolean adopt(long version, SipvaneConfig config) {
        if (version <= state.version()) {
            return false;
        }
        state = new State(config, version);
        table.publish(config);
        return true;
    }

    @Override
    public boolean adopt(TenantData data) {
        if (data.version() <= state.version()) {
            return false;
        }
        SipvaneConfig config = settings.withTenantData(data.accounts(), data.trunks(), data.originationUris());
        boolean published = adopt(data.version(), config);
        if (published) {
            LOG.debug("store version {} published: {} trunks, {} origination URIs", data.version(),
                    data.trunks().size(), data.originationUris().size());
        }
        return published;
    }

    /**
     * Publishes the database's changes since our snapshot; false when the snapshot is not the
     * version they start from (this router's own write came in between): the caller reads again.
     */
    @Override
    public synchronized boolean adopt(TenantDelta delta) {
        if (delta.version() <= state.version() || delta.since() != state.version()) {
            return false;
        }
        SipvaneConfig config = delta.change().applyTo(state.config());
        state = new State(config, delta.version());
        table.publish(config);
        LOG.debug("store version {} published from the changes since version {}", delta.version(), delta.since());
        return true;
    }

    @Override
    public CompletableFuture<Boolean> reload() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return adopt(TenantReader.read(writeConnection()));
            } catch (SQLException e) {
                discardWriteConnection();
                throw new CompletionException(Failures.toStoreException(e));
            }
        }, writer);
    }

    /** Starts following the other routers' writes (LISTEN, version polls, re-read on reconnect). */
    @Override
    public synchronized void watch() {
        if (follower == null) {
            follower = new ChangeFollower(db, this, settings.store().pollIntervalMs(), clock);
            follower.start();
        }
    }

    /** Whether the follower is connected and listening (for tests and readiness checks). */
    public boolean following() {
        ChangeFollower f;
        synchronized (this) {
            f = follower;
        }
        return f != null && f.connected();
    }

    @Override
    public void close() {
        ChangeFollower f;
        synchronized (this) {
            f = follower;
            follower = null;
        }
        if (f != null) {
            f.close();
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("store writes still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(writeConnection);
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a store connection: {}", e.toString());
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
