package io.sipvane.sip.stack;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN line of a failed TCP or TLS connect: the destination and the reason, at most one
 * line per destination per {@link #INTERVAL_SECONDS} seconds, with the number held back since
 * the last one. A dead PBX taking a hundred calls a second, or requests whose Via names a TCP
 * address that refuses (anyone can send those), would otherwise write a line per attempt.
 */
final class ConnectFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectFailures.class);
    static final long INTERVAL_SECONDS = 10;
    static final int MAX_DESTINATIONS = 1024;

    private final SourceWindows windows;

    ConnectFailures(Ticker ticker) {
        this.windows = new SourceWindows(ticker, INTERVAL_SECONDS, TimeUnit.SECONDS, MAX_DESTINATIONS);
    }

    void failed(String transport, InetAddress address, int port, Exception e) {
        String destination = (address == null ? "?" : address.getHostAddress()) + ":" + port;
        String reason = MalformedInput.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), 200);
        SourceWindows.Line line = windows.record(transport + " " + destination, reason);
        if (line == null) {
            return;
        }
        if (line.heldBack() == 0) {
            LOG.warn("{} connection to {} failed: {}", transport, destination, reason);
        } else {
            LOG.warn("{} connection to {} failed: {} (and {} more in the {} s before)", transport, destination, reason,
                    line.heldBack(), TimeUnit.NANOSECONDS.toSeconds(line.heldBackNanos()));
        }
    }
}
