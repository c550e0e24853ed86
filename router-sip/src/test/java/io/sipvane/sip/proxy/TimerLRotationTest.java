package io.sipvane.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipvane.sip.dialog.AcceptedInvites;
import java.nio.charset.StandardCharsets;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** The proxy's timer rotates the answered INVITEs every 32 s, so a key lives 32 to 64 s. */
class TimerLRotationTest {
    private final ManualScheduler timers = new ManualScheduler();
    private final AcceptedInvites accepted = new AcceptedInvites();

    @Test
    void anAnsweredInviteIsAbsorbedForTimerLAndForgottenWithinTwice() throws Exception {
        Proxy.rotateEveryTimerL(timers, accepted);
        Request invite = invite("z9hG4bK-1");
        accepted.accepted(invite);

        timers.advance(AcceptedInvites.TIMER_L_MS - 1);
        assertThat(accepted.absorbs(invite)).isTrue();
        timers.advance(1);
        assertThat(accepted.absorbs(invite)).as("one rotation: still within Timer L of some keys").isTrue();
        timers.advance(AcceptedInvites.TIMER_L_MS);
        assertThat(accepted.absorbs(invite)).as("two rotations: older than Timer L").isFalse();
        assertThat(timers.pending()).as("always exactly the next rotation").isEqualTo(1);
    }

    private static Request invite(String branch) throws Exception {
        String text = "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:+14155550100@127.0.0.1>\r\n"
                + "Call-ID: rotation-test\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return (Request) new StringMsgParser().parseSIPMessage(bytes, true, false, null);
    }
}
