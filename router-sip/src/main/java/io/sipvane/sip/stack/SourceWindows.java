package io.sipvane.sip.stack;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Decides which events of a noisy kind become a log line: at most one per source address per
 * interval. The first event of a source opens a window and is logged; later ones in the window
 * are only counted; the first event after the window closes is logged with the count and the
 * first problem of what was held back, and opens the next window.
 *
 * <p>Implementation note: one small window per source in a {@link ConcurrentHashMap}, each
 * guarded by its own monitor (a flood from one address contends only with itself). The map is
 * capped at {@code maxSources}: windows that have closed are swept when it is full (at most once
 * per interval, so a flood of spoofed addresses does not sweep per datagram), and sources beyond
 * the cap share one window, so the log stays bounded whatever the number of addresses. Time
 * comes from the injected ticker.
 */
final class SourceWindows {
    /** The window that sources beyond the cap share. */
    static final String OTHERS = "other addresses";

    private final Ticker ticker;
    private final long intervalNanos;
    private final int maxSources;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    /** When the next sweep may run; a race between two sweepers is harmless (both remove closed windows). */
    private volatile long nextSweep;

    SourceWindows(Ticker ticker, long interval, TimeUnit unit, int maxSources) {
        if (interval <= 0) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        if (maxSources < 1) {
            throw new IllegalArgumentException("maxSources: " + maxSources + " (expected: >= 1)");
        }
        this.ticker = ticker;
        this.intervalNanos = unit.toNanos(interval);
        this.maxSources = maxSources;
        this.nextSweep = ticker.read();
    }

    /**
     * Records an event from {@code source}; returns what to log, or null when this source
     * already had its line in the current window.
     */
    Line record(String source, String problem) {
        long now = ticker.read();
        Window w = windows.get(source);
        if (w == null) {
            if (windows.size() >= maxSources && now - nextSweep >= 0) {
                nextSweep = now + intervalNanos;
                windows.values().removeIf(x -> x.closed(now));
            }
            String key = windows.size() < maxSources ? source : OTHERS;
            w = windows.computeIfAbsent(key, k -> new Window(k));
        }
        return w.record(problem, now);
    }

    int sources() {
        return windows.size();
    }

    /**
     * One line to log: {@code source} (an address, or {@link #OTHERS}), this event's problem, and
     * what the window before held back: how many events, over how long, and the first of them.
     */
    record Line(String source, String problem, long heldBack, long heldBackNanos, String firstHeldBack) {}

    private final class Window {
        private final String source;
        // all guarded by this
        private boolean open;
        private long start;
        private long heldBack;
        private String firstHeldBack;

        Window(String source) {
            this.source = source;
        }

        synchronized Line record(String problem, long now) {
            if (open && now - start < intervalNanos) {
                if (heldBack++ == 0) {
                    firstHeldBack = problem;
                }
                return null;
            }
            Line line = new Line(source, problem, heldBack, open ? now - start : 0L, firstHeldBack);
            open = true;
            start = now;
            heldBack = 0;
            firstHeldBack = null;
            return line;
        }

        synchronized boolean closed(long now) {
            return !open || now - start >= intervalNanos;
        }
    }
}
