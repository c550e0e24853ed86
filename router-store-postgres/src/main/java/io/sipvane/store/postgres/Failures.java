package io.sipvane.store.postgres;

import io.sipvane.core.store.ConfigStore.StoreException;
import io.sipvane.core.store.ConfigStore.StoreUnavailableException;
import java.sql.SQLException;

/**
 * Which database errors mean "the database cannot be reached" (retry later: 503 with
 * Retry-After) and which mean "this write failed" (503 without it).
 */
final class Failures {
    /** What a client is told to wait before retrying a write refused during an outage. */
    static final int RETRY_AFTER_S = 5;

    private Failures() {}

    /**
     * Connection failures (class 08), the server shutting down or crashed (57P01-57P03),
     * and a closed or broken connection (no SQL state: pgjdbc's I/O errors).
     */
    static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300");
    }

    static StoreException toStoreException(SQLException e) {
        if (isUnavailable(e)) {
            return new StoreUnavailableException("the store database is unavailable (" + e.getMessage()
                    + "); routing goes on from the last snapshot", RETRY_AFTER_S, e);
        }
        return new StoreException("the store database refused the write (" + e.getMessage() + ")", e);
    }
}
