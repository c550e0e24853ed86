package io.sipvane.sip.parse;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.MaxForwards;
import java.text.ParseException;
import javax.sip.InvalidArgumentException;

/**
 * CSeq, Max-Forwards, Content-Length and Call-ID, read as JAIN-SIP's parsers read them
 * and built with the same calls. A value the stock parser would refuse, or read in a way
 * these do not (white space inside, a number past what they take), answers null and the
 * stock parser reads it.
 */
final class SingleValueHeaders {
    private SingleValueHeaders() {}

    static CSeq cseq(Cursor at) throws ParseException, InvalidArgumentException {
        long number = number(at, 9);
        if (number < 0 || !at.take(' ')) {
            return null;
        }
        at.skipBlanks();
        String method = Methods.known(at);
        if (method == null || !at.atEnd()) {
            return null;
        }
        CSeq cseq = new CSeq();
        cseq.setSeqNumber(number);
        // the stock parser sets SIPRequest.getCannonicalName(method).intern(): for these
        // methods, the very constant returned here
        cseq.setMethod(method);
        return cseq;
    }

    static MaxForwards maxForwards(Cursor at) throws InvalidArgumentException {
        long number = number(at, 3);
        if (number < 0 || number > 255 || !at.atEnd()) {
            return null;
        }
        MaxForwards maxForwards = new MaxForwards();
        maxForwards.setMaxForwards((int) number);
        return maxForwards;
    }

    static ContentLength contentLength(Cursor at) throws InvalidArgumentException {
        int length = contentLengthValue(at);
        if (length < 0) {
            return null;
        }
        ContentLength contentLength = new ContentLength();
        contentLength.setContentLength(length);
        return contentLength;
    }

    /** The length a Content-Length line in the common shape gives, or -1. */
    static int contentLengthValue(Cursor at) {
        long number = number(at, 9);
        return number < 0 || !at.atEnd() ? -1 : (int) number;
    }

    /** As the stock parser: whatever follows the colon, trimmed. */
    static CallID callId(Cursor at) throws ParseException {
        String id = at.text.substring(at.pos).trim();
        if (id.isEmpty()) {
            return null;
        }
        CallID callId = new CallID();
        callId.setCallId(id);
        return callId;
    }

    /** The digits at the cursor, at most {@code maxDigits} of them, or -1. */
    private static long number(Cursor at, int maxDigits) {
        int start = at.skip(Cursor.DIGIT);
        int digits = at.pos - start;
        return digits == 0 || digits > maxDigits ? -1 : Long.parseLong(at.text, start, at.pos, 10);
    }
}
