package io.sipvane.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a router's snapshot in step with the database: on its own connection it LISTENs on
 * the store channel and, on every notification, every {@code pollIntervalMs} without one,
 * and on every (re)connect, compares the version row with the snapshot's version and, when
 * they differ, reads what changed since the snapshot (or, further behind than the database
 * keeps removals, everything). A notification lost while the connection was down is therefore
 * made up within one poll interval of the reconnect at the latest.
 *
 * <p>While the database is down it retries every {@code pollIntervalMs}; the router keeps
 * routing from its snapshot. Invalid data (a row edited by hand) is logged once per version
 * and the snapshot stays.
 */
final class ChangeFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);

    /** Where newer data goes: the store. */
    interface Sink {
        long version();

        /** Publishes {@code data} if it is newer; returns whether it did. */
        boolean adopt(TenantData data);

        /** Publishes the changes of {@code delta} if they start at this snapshot's version. */
        boolean adopt(TenantDelta delta);
    }

    private final Database db;
    private final Sink sink;
    private final int pollIntervalMs;
    private final Clock clock;
    private final Thread thread;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Written by the follower thread, read by anyone. */
    private volatile boolean connected;
    /** The follower thread's connection; closed by {@link #close()} to wake it up. */
    private volatile Connection connection;
    /** Follower thread only: the last version found invalid, so it is logged once. */
    private long rejectedVersion = -1;

    ChangeFollower(Database db, Sink sink, int pollIntervalMs, Clock clock) {
        this.db = db;
        this.sink = sink;
        this.pollIntervalMs = pollIntervalMs;
        this.clock = clock;
        this.thread = new Thread(this::run, "sipvane-store-follower");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean connected() {
        return connected;
    }

    private void run() {
        Instant downSince = null;
        while (closed.getCount() > 0) {
            try (Connection c = db.connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + PostgresStore.CHANNEL);
                }
                catchUp(c);
                connected = true;
                if (downSince != null) {
                    LOG.info("store database reachable again after {} s; snapshot at version {}",
                            Duration.between(downSince, clock.instant()).toSeconds(), sink.version());
                    downSince = null;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (closed.getCount() > 0) {
                    pg.getNotifications(pollIntervalMs);
                    catchUp(c);
                }
            } catch (SQLException e) {
                connected = false;
                if (closed.getCount() == 0) {
                    break;
                }
                if (downSince == null) {
                    downSince = clock.instant();
                    LOG.warn("lost the store database ({}); routing goes on from the snapshot of version {}, "
                            + "API writes answer 503; reconnecting every {} ms", e.getMessage(), sink.version(), pollIntervalMs);
                }
                pause();
            } finally {
                connected = false;
                connection = null;
            }
        }
    }

    /**
     * Reads when the database is at another version than the snapshot: the changes since the
     * snapshot while the database keeps them, else everything.
     */
    private void catchUp(Connection c) throws SQLException {
        long version = TenantReader.version(c);
        if (version == sink.version() || version == rejectedVersion) {
            return;
        }
        try {
            // a write of this router's own may publish in between: then read again from there
            for (int attempt = 0; attempt < 3; attempt++) {
                long have = sink.version();
                if (version <= have) {
                    return; // there already (an older database, restored, is never adopted either)
                }
                if (version - have > TenantReader.KEPT_VERSIONS) {
                    break;
                }
                TenantDelta delta = TenantReader.readSince(c, have);
                version = delta.version();
                if (sink.adopt(delta) || sink.version() >= version) {
                    return;
                }
            }
            sink.adopt(TenantReader.read(c));
        } catch (IllegalArgumentException e) {
            rejectedVersion = version;
            LOG.error("invalid data in the store database at version {}: {}; routing goes on from version {}", version,
                    e.getMessage(), sink.version());
        }
    }

    private void pause() {
        try {
            closed.await(pollIntervalMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.countDown();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        PostgresStore.closeQuietly(connection);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
