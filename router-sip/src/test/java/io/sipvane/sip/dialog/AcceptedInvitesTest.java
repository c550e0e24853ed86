package io.sipvane.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.parser.StringMsgParser;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class AcceptedInvitesTest {
    private final AcceptedInvites accepted = new AcceptedInvites();

    @Test
    void absorbsTheRetransmissionOfAnAnsweredInvite() throws Exception {
        accepted.accepted(request("INVITE", "z9hG4bK-1", 5070));

        assertThat(accepted.absorbs(request("INVITE", "z9hG4bK-1", 5070))).isTrue();
        assertThat(accepted.absorbs(request("INVITE", "z9hG4bK-2", 5070))).as("another branch").isFalse();
        assertThat(accepted.absorbs(request("INVITE", "z9hG4bK-1", 5071))).as("another sender").isFalse();
    }

    @Test
    void keepsAnAnsweredInviteUntilTheSecondRotation() throws Exception {
        accepted.accepted(request("INVITE", "z9hG4bK-1", 5070));

        accepted.rotate(); // a new generation starts; the old one is still read
        assertThat(accepted.absorbs(request("INVITE", "z9hG4bK-1", 5070))).isTrue();
        accepted.accepted(request("INVITE", "z9hG4bK-2", 5070));
        accepted.rotate();
        assertThat(accepted.absorbs(request("INVITE", "z9hG4bK-1", 5070))).as("two rotations old").isFalse();
        assertThat(accepted.absorbs(request("INVITE", "z9hG4bK-2", 5070))).as("one rotation old").isTrue();
        accepted.rotate();
        assertThat(accepted.absorbs(request("INVITE", "z9hG4bK-2", 5070))).isFalse();
    }

    @Test
    void absorbsNothingElse() throws Exception {
        accepted.accepted(request("OPTIONS", "z9hG4bK-1", 5070));
        accepted.accepted(request("INVITE", "rfc2543-branch", 5070));

        assertThat(accepted.absorbs(request("OPTIONS", "z9hG4bK-1", 5070))).isFalse();
        assertThat(accepted.absorbs(request("INVITE", "rfc2543-branch", 5070))).as("no RFC 3261 branch to match on").isFalse();
    }

    private static Request request(String method, String branch, int port) throws Exception {
        String text = method + " sip:+14155550100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:+14155550100@127.0.0.1>\r\n"
                + "Call-ID: accepted-test\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (Request) new StringMsgParser().parseSIPMessage(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), true, false, null);
    }
}
