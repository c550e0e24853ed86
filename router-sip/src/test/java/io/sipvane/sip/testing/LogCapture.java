package io.sipvane.sip.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Captures what the router logs, at the levels the server's {@code logback.xml} uses
 * ({@code gov.nist} at WARN, {@code io.sipvane} at INFO) unless told otherwise, and counts the
 * bytes a plain one-line-per-event layout with stack traces would have written. Restores the
 * levels on close.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<ILoggingEvent> events = new ArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<Logger, Level> saved = new HashMap<>();
    private final Logger root;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        start();
        root.addAppender(this);
    }

    /** Server levels: {@code gov.nist} WARN, {@code io.sipvane} INFO. */
    public static LogCapture serverLevels() {
        return new LogCapture().level("gov.nist", Level.WARN).level("io.sipvane", Level.INFO);
    }

    public LogCapture level(String logger, Level level) {
        Logger l = (Logger) LoggerFactory.getLogger(logger);
        saved.putIfAbsent(l, l.getLevel());
        l.setLevel(level);
        return this;
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        long size = event.getFormattedMessage().length() + 80L;
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            size += ThrowableProxyUtil.asString(t).length();
        }
        bytes.addAndGet(size);
        synchronized (events) {
            events.add(event);
        }
    }

    /** Bytes a line-per-event layout (about 80 bytes of date, level, thread, logger) would have written. */
    public long bytes() {
        return bytes.get();
    }

    /** The events at {@code level} or above. */
    public List<ILoggingEvent> atLeast(Level level) {
        synchronized (events) {
            return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
        }
    }

    /** Each event at {@code level} or above as "LEVEL logger - message", with its stack trace if any. */
    public List<String> lines(Level level) {
        return atLeast(level).stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    }

    public void clear() {
        synchronized (events) {
            events.clear();
        }
        bytes.set(0);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
        saved.forEach(Logger::setLevel);
    }
}
