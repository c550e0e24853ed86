package io.sipvane.sip.dialog;

import static io.sipvane.sip.dialog.ViaRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

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
}
