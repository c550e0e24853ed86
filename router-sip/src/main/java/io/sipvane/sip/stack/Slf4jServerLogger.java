package io.sipvane.sip.stack;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's message trace, sent to SLF4J logger {@code io.sipvane.sip.wire} at TRACE. The
 * stack's default writes every message at INFO; a router handling hundreds of calls a second
 * must not. Instantiated by the stack by name (property {@code gov.nist.javax.sip.SERVER_LOGGER}).
 */
public final class Slf4jServerLogger implements ServerLogger {
    private static final Logger WIRE = LoggerFactory.getLogger("io.sipvane.sip.wire");

    /** HEP capture and the readable trace ({@link ProxyStack#tap}); empty until handed in. */
    private volatile java.util.List<io.sipvane.sip.capture.MessageTap> taps = java.util.List.of();

    public Slf4jServerLogger() {}

    @Override public void closeLogFile() {
        // nothing open
    }

    /** Hands this stack's message taps in; each sees every message sent and received. */
    public void taps(java.util.List<io.sipvane.sip.capture.MessageTap> taps) {
        this.taps = java.util.List.copyOf(taps);
    }

    /** Whether a tap wants messages now (the stack prepares them only then). */
    public boolean tapsWanted() {
        for (io.sipvane.sip.capture.MessageTap tap : taps) {
            if (tap.wanted()) {
                return true;
            }
        }
        return false;
    }

    @Override public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        for (io.sipvane.sip.capture.MessageTap tap : taps) {
            tap.message(message, from, to, sender, time);
        }
        if (WIRE.isTraceEnabled()) {
            WIRE.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
        }
    }

    @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        logMessage(message, from, to, sender, time);
    }

    @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, sender, 0L);
    }

    @Override public void logException(Exception ex) {
        WIRE.debug("JAIN-SIP exception", ex);
    }

    @Override public void setStackProperties(Properties stackProperties) {
        // nothing to configure
    }

    @Override public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
