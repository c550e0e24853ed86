package io.sipvane.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.AllowHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy end to end on loopback: a JAIN-SIP caller, the router, fake PBXs. */
class SipRouterTest {
    private static final long WAIT = 20_000;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    private TestUa ua(String name) throws Exception {
        return track(TestUa.start(name));
    }

    private TestRouter router(TestRouter.Builder b) throws Exception {
        return track(b.start());
    }

    @Test
    void invite_reachesDestinationAndByeFollowsRecordRoute() throws Exception {
        TestUa pbx = ua("pbx");
        TestRouter router = router(TestRouter.builder().dest(pbx.uri(), 1, 10));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        Response ringing = call.await(180, WAIT);
        assertThat(ringing.getStatusCode()).isEqualTo(180);
        Response ok = call.awaitFinal();
        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(ok.getHeader(RecordRouteHeader.NAME).toString()).contains(":" + router.port).contains("lr");

        Request invite = pbx.await(Request.INVITE, WAIT);
        assertThat(invite.getRequestURI().toString()).isEqualTo("sip:+14155550100@127.0.0.1:" + pbx.port);
        assertThat(((MaxForwardsHeader) invite.getHeader(MaxForwardsHeader.NAME)).getMaxForwards()).isEqualTo(69);
        assertThat(pbx.await(Request.ACK, WAIT)).isNotNull();

        TestUa.Call reinvite = call.inDialog(Request.INVITE);
        assertThat(reinvite.awaitFinal().getStatusCode()).isEqualTo(200);
        TestUa.Call bye = call.inDialog(Request.BYE);
        assertThat(bye.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.await(Request.BYE, WAIT)).isNotNull();
    }

    @Test
    void invite_failsOverOn503InsidePriorityAndAcrossPriorities() throws Exception {
        TestUa a = ua("a").script(503);
        TestUa b = ua("b").script(500);
        TestUa c = ua("c").script(180, 200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 1, 10).dest(c.uri(), 2, 10));
        TestUa caller = ua("caller");

        Response ok = caller.invite(router.callee(), router.port, "udp").awaitFinal();

        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(a.invites.get()).isEqualTo(1);
        assertThat(b.invites.get()).isEqualTo(1);
        assertThat(c.invites.get()).isEqualTo(1);
    }
}
