package io.sipvane.sip.stack;

import gov.nist.core.LogLevels;
import gov.nist.core.StackLogger;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP's internal log to SLF4J (logger {@code gov.nist.javax.sip}). The stack's
 * own default needs log4j 1.x, which we never ship. The stack instantiates this class by name
 * (property {@code gov.nist.javax.sip.STACK_LOGGER}), hence public with a no-arg constructor.
 *
 * <p>The stack's INFO is chatty and aimed at its developers, so it goes to DEBUG. Its errors
 * and warnings go to WARN as one line each: the text up to its first line break (at most
 * {@value #MAX_LINE} characters) and the exception's one-line summary, never a stack trace,
 * message body or table dump; those follow at DEBUG. The stack often puts a whole SIP message
 * (numbers, SDP) or a byte array into the text of an error. Errors about what sipvane accounts
 * for itself (malformed input: {@link MalformedInput}; failed connects: {@link NoDelayNetworkLayer})
 * and routine warnings are DEBUG only, so that one event is one WARN line.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");
    static final int MAX_LINE = 200;
    /** What {@code Arrays.toString(byte[])} starts with. */
    private static final Pattern BYTE_ARRAY = Pattern.compile("\\[-?\\d{1,3}, -?\\d{1,3}");

    /**
     * Beginnings of the stack's errors and warnings that stay at DEBUG, with where they come
     * from (JAIN-SIP 1.3.0-91).
     */
    private static final List<String> DEBUG_ONLY = List.of(
            // printed at every start, TLS listener or not
            "using default tls", "Using default keystore", "Using default truststore",
            "TLS server settings will be inactive", "TLS trust settings will be inactive",
            // every request StatelessRelayValve relayed before the transaction layer
            "Null request interface returned",
            // malformed input, counted and summarised by MalformedInput (channels, parser)
            "bad message ", ">>> Dropped Bad Msg", "Dropping Badly formatted response", "Detected a parse error",
            "BAD MESSAGE", "Rejecting message", "Malformed mandatory headers",
            // a failed connect, one line by NoDelayNetworkLayer (IOHandler.sendBytes, TCP/TLSMessageChannel)
            "Problem connecting ", "Problem sending: sendBytes", "Could not connect to ", "Couldn't connect to ",
            "Failed to connect ", "Error is ", "IOException occured retryCount", "IO error sending",
            // a performance note on every transaction that needs its request again (RELEASE_REFERENCES_STRATEGY)
            "reparsing original request",
            // a keepalive (double CRLF) whose answer fails because the peer is closing the connection
            // (PipelinedMsgParser; seen after malformed input over TCP)
            "A problem occured while trying to send a single CLRF");

    /** Set by {@link ProxyStack#tap}: whether the message taps want the stack's message events. */
    private volatile java.util.function.BooleanSupplier messagesWanted = () -> false;

    public Slf4jStackLogger() {}

    /** The stack announces each message to its server logger only while this or TRACE_MESSAGES logging says so. */
    void messagesWanted(java.util.function.BooleanSupplier wanted) {
        this.messagesWanted = wanted;
    }

    @Override public void logStackTrace() {
        if (LOG.isTraceEnabled()) {
            LOG.trace("stack trace", new Throwable("stack trace"));
        }
    }

    @Override public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override public int getLineCount() {
        return 0;
    }

    @Override public void logException(Throwable ex) {
        warn("JAIN-SIP exception", ex);
    }

    @Override public void logDebug(String message) {
        LOG.debug(message);
    }

    @Override public void logDebug(String message, Exception ex) {
        LOG.debug(message, ex);
    }

    @Override public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override public void logFatalError(String message) {
        if (!debugOnly(message)) {
            LOG.error(oneLine(message));
        }
        detail(message, null);
    }

    @Override public void logError(String message) {
        warn(message, null);
    }

    @Override public boolean isLoggingEnabled() {
        return LOG.isWarnEnabled();
    }

    @Override public boolean isLoggingEnabled(int logLevel) {
        if (logLevel == LogLevels.TRACE_MESSAGES && messagesWanted.getAsBoolean()) {
            return true;
        }
        if (logLevel >= LogLevels.TRACE_TRACE) {
            return LOG.isTraceEnabled();
        }
        if (logLevel >= LogLevels.TRACE_INFO) {
            return LOG.isDebugEnabled(); // INFO and DEBUG of the stack both map to our DEBUG
        }
        return logLevel > LogLevels.TRACE_NONE && LOG.isWarnEnabled();
    }

    @Override public void logError(String message, Exception ex) {
        warn(message, ex);
    }

    @Override public void logWarning(String message) {
        warn(message, null);
    }

    /** One WARN line unless the message is DEBUG only; the full text and stack trace at DEBUG. */
    private static void warn(String message, Throwable ex) {
        if (!debugOnly(message) && !debugOnly(ex)) {
            String line = oneLine(message);
            if (ex != null) {
                line = line + (line.isEmpty() ? "" : ": ") + oneLine(String.valueOf(ex));
            }
            LOG.warn(line);
        }
        detail(message, ex);
    }

    private static void detail(String message, Throwable ex) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(message, ex);
        }
    }

    /** An exception about something that stays at DEBUG (a failed connect, wrapped or not). */
    private static boolean debugOnly(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isEmpty() && debugOnly(m)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Messages that stay at DEBUG: the known ones above, and the stack's dumps of its connection
     * table ({@code IOHandler} logs the table's {@code toString()}, every peer of every connection).
     */
    static boolean debugOnly(String message) {
        if (message == null || message.isEmpty() || message.startsWith("{")) {
            return true;
        }
        for (String prefix : DEBUG_ONLY) {
            if (message.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The text up to its first line break, at most {@value #MAX_LINE} characters; a byte array
     * the stack appended ({@code "...packet[73, 78, ...]"}) is left out.
     */
    static String oneLine(String message) {
        String text = message == null ? "" : message.trim();
        Matcher array = BYTE_ARRAY.matcher(text);
        if (array.find()) {
            text = text.substring(0, array.start()).trim() + " (bytes at DEBUG)";
        }
        return MalformedInput.oneLine(text, MAX_LINE);
    }

    @Override public void logInfo(String message) {
        LOG.debug(message);
    }

    @Override public void disableLogging() {
        // levels are the SLF4J backend's business
    }

    @Override public void enableLogging() {
        // levels are the SLF4J backend's business
    }

    @Override public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override public void setStackProperties(Properties stackProperties) {
        // nothing to configure: SLF4J decides
    }

    @Override public String getLoggerName() {
        return LOG.getName();
    }
}
