package io.sipvane.sip.capture;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readable SIP trace: one DEBUG line per message received or sent on logger
 * {@code io.sipvane.sip.trace} ({@code sent INVITE sip:+14155550100@127.0.0.1:5071
 * 127.0.0.1:5060 -> 127.0.0.1:5071 Call-ID ... CSeq 1 INVITE}); at TRACE the whole message
 * follows. Nothing is prepared while the logger is above DEBUG.
 */
public final class SipTrace implements MessageTap {
    private static final Logger TRACE = LoggerFactory.getLogger("io.sipvane.sip.trace");

    @Override
    public boolean wanted() {
        return TRACE.isDebugEnabled();
    }

    @Override
    public void message(SIPMessage message, String from, String to, boolean sent, long millis) {
        if (!TRACE.isDebugEnabled()) {
            return;
        }
        String first;
        if (message instanceof SIPRequest r) {
            first = r.getMethod() + " " + r.getRequestURI();
        } else if (message instanceof SIPResponse r) {
            first = r.getStatusCode() + " " + r.getReasonPhrase();
        } else {
            first = "?";
        }
        String cseq = message.getCSeq() == null ? "-" : message.getCSeq().getSeqNumber() + " " + message.getCSeq().getMethod();
        String callId = message.getCallId() == null ? "-" : message.getCallId().getCallId();
        if (TRACE.isTraceEnabled()) {
            TRACE.trace("{} {} {} -> {} Call-ID {} CSeq {}\n{}", sent ? "sent" : "received", first, from, to, callId, cseq,
                    message.encode());
        } else {
            TRACE.debug("{} {} {} -> {} Call-ID {} CSeq {}", sent ? "sent" : "received", first, from, to, callId, cseq);
        }
    }
}
