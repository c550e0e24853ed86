package io.sipvane.sip.dialog;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import javax.sip.message.Request;

/** Out-of-dialog requests as the stack parses them off the wire, told apart by their top Via. */
public final class ViaRequests {
    private ViaRequests() {
    }

    /** {@code method} from 127.0.0.1:{@code port} with the given Via branch. */
    public static Request request(String method, String branch, int port) throws Exception {
        String text = method + " sip:+14155550100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:+14155550100@127.0.0.1>\r\n"
                + "Call-ID: via-requests\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (Request) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }
}
