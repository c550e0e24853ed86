package io.sipvane.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.dialog.AcceptedInvites;
import io.sipvane.sip.dialog.ViaRequests;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** The proxy's timer rotates the answered INVITEs every 32 s, so a key lives 32 to 64 s. */
class TimerLRotationTest {
    private final ManualScheduler timers = new ManualScheduler();
    private final AcceptedInvites accepted = new AcceptedInvites();

    @Test
    void anAnsweredInviteIsAbsorbedForTimerLAndForgottenWithinTwice() throws Exception {
        Proxy.rotateEveryTimerL(timers, accepted);
        Request invite = ViaRequests.request("INVITE", "z9hG4bK-1", 5070);
        accepted.accepted(invite);

        timers.advance(AcceptedInvites.TIMER_L_MS - 1);
        assertThat(accepted.absorbs(invite)).isTrue();
        timers.advance(1);
        assertThat(accepted.absorbs(invite)).as("one rotation: a key is kept at least Timer L").isTrue();
        timers.advance(AcceptedInvites.TIMER_L_MS);
        assertThat(accepted.absorbs(invite)).as("two rotations: older than Timer L").isFalse();
        assertThat(timers.pending()).as("always exactly the next rotation").isEqualTo(1);
    }
}
