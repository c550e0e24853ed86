package io.sipvane.sip.stack;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sipvane.sip.metrics.SipMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where messages the stack rejects as malformed are accounted: each one is counted
 * ({@code sipvane_malformed_messages_total{transport}}), and the log gets at most one WARN
 * line per source address per {@link #INTERVAL_SECONDS} seconds, with the count held back and
 * the first problem, never the message itself: a peer sending garbage, or someone scanning
 * the port, must not be able to fill the disk. The raw bytes are logged at DEBUG.
 */
public final class MalformedInput {
    private static final Logger LOG = LoggerFactory.getLogger(MalformedInput.class);
    static final long INTERVAL_SECONDS = 10;
    /** Addresses with a window of their own; beyond them all share one (see {@link SourceWindows}). */
    static final int MAX_SOURCES = 1024;
    /** A problem is a parser's message: it may quote a header; a WARN line quotes at most this much. */
    static final int MAX_PROBLEM = 160;

    private final SipMetrics metrics;
    private final SourceWindows windows;

    public MalformedInput(SipMetrics metrics, Ticker ticker) {
        this.metrics = metrics;
        this.windows = new SourceWindows(ticker, INTERVAL_SECONDS, TimeUnit.SECONDS, MAX_SOURCES);
    }

    /**
     * One rejected message.
     *
     * @param transport {@code UDP}, {@code TCP}, ... as the stack names it
     * @param source    the peer's address, or null when the stack did not know it
     * @param problem   what the parser said
     * @param raw       the message as received, for the DEBUG log; may be null
     */
    public void reject(String transport, String source, String problem, byte[] raw) {
        String t = transport == null ? "unknown" : transport.toLowerCase(Locale.ROOT);
        String from = source == null ? "an unknown address" : source;
        String why = oneLine(problem, MAX_PROBLEM);
        metrics.malformed(t);
        if (LOG.isDebugEnabled()) {
            LOG.debug("malformed SIP message from {} over {}: {}\n{}", from, t, why,
                    raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1));
        }
        SourceWindows.Line line = windows.record(from, why);
        if (line == null) {
            return;
        }
        if (line.heldBack() == 0) {
            LOG.warn("malformed SIP message from {} over {}: {} (more from this address within {} s are only counted)",
                    line.source(), t, line.problem(), INTERVAL_SECONDS);
        } else {
            LOG.warn("malformed SIP message from {} over {}: {} (and {} more in the {} s before, the first: {})",
                    line.source(), t, line.problem(), line.heldBack(),
                    TimeUnit.NANOSECONDS.toSeconds(line.heldBackNanos()), line.firstHeldBack());
        }
    }

    /** The text up to its first line break, control characters replaced, cut at {@code max} characters. */
    static String oneLine(String text, int max) {
        if (text == null || text.isEmpty()) {
            return "(no reason given)";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max + 3));
        int i = 0;
        for (; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                break;
            }
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (i < text.length()) {
            sb.append("...");
        }
        return sb.toString();
    }
}
