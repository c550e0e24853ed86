package io.sipvane.sip.stack;

import gov.nist.core.LogLevels;
import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP's internal log to SLF4J (logger {@code gov.nist.javax.sip}). The stack's
 * own default needs log4j 1.x, which we never ship. The stack instantiates this class by name
 * (property {@code gov.nist.javax.sip.STACK_LOGGER}), hence public with a no-arg constructor.
 *
 * <p>The stack's INFO is chatty and aimed at its developers, so it goes to DEBUG; its errors
 * are mostly about peers' bad messages, so they go to WARN.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");

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
        LOG.warn("JAIN-SIP exception", ex);
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
        LOG.error(message);
    }

    @Override public void logError(String message) {
        LOG.warn(message);
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
        LOG.warn(message, ex);
    }

    @Override public void logWarning(String message) {
        if (isRoutine(message)) {
            LOG.debug(message);
        } else {
            LOG.warn(message);
        }
    }

    /** Warnings the stack gives in normal operation: not worth an operator's attention. */
    private static boolean isRoutine(String message) {
        return message != null && (
                // printed at every start, TLS listener or not
                message.startsWith("using default tls") || message.startsWith("Using default keystore")
                || message.startsWith("Using default truststore") || message.startsWith("TLS server settings will be inactive")
                || message.startsWith("TLS trust settings will be inactive")
                // every request StatelessRelayValve relayed before the transaction layer
                || message.startsWith("Null request interface returned"));
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
