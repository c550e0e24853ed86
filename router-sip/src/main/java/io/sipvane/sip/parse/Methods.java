package io.sipvane.sip.parse;

import javax.sip.message.Request;

/**
 * The methods the scanners read in a request line and a CSeq: those JAIN-SIP's method rule
 * takes as its own keywords, spelled as RFC 3261 spells them. Any other token goes to the
 * stock parser, which alone knows how its lexer classes it.
 */
final class Methods {
    private static final String[] KNOWN = {
        Request.INVITE, Request.ACK, Request.BYE, Request.CANCEL, Request.OPTIONS,
        Request.REGISTER, Request.SUBSCRIBE, Request.NOTIFY, Request.PUBLISH, Request.MESSAGE,
    };

    private Methods() {}

    /**
     * The known method at the cursor, stepped over, or null (the cursor where it was). The
     * answer is the {@code Request} constant itself: the interned string the stock parsers
     * end up with.
     */
    static String known(Cursor at) {
        int start = at.skip(Cursor.TOKEN);
        int length = at.pos - start;
        for (String method : KNOWN) {
            if (method.length() == length && at.text.startsWith(method, start)) {
                return method;
            }
        }
        at.pos = start;
        return null;
    }
}
