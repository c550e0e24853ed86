package io.sipvane.sip.capture;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * Sees every SIP message the stack receives or sends, with its real source and destination
 * ({@code host:port}). Called on the stack's threads: implementations never block.
 */
public interface MessageTap {
    /**
     * @param sent   true for a message this router sent, false for one it received
     * @param millis when, in milliseconds since the epoch
     */
    void message(SIPMessage message, String from, String to, boolean sent, long millis);

    /** Whether this tap wants messages now (the stack skips preparing them otherwise). */
    boolean wanted();
}
