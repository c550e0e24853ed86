package io.sipvane.sip.proxy;

import io.sipvane.sip.testing.TestUa;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.RawUdpPeer;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy end to end on loopback: a JAIN-SIP caller, the router, fake PBXs. */
class ProxyTest {
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

    @Test
    void invite_failsOverOn408() throws Exception {
        TestUa a = ua("a").script(408);
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(a.invites.get()).isEqualTo(1);
        assertThat(b.invites.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {486, 404, 603})
    void invite_doesNotFailOverOnFinalRefusals(int code) throws Exception {
        TestUa a = ua("a").script(code);
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(code);
        assertThat(b.invites.get()).isZero();
    }

    @Test
    void invite_doesNotFailOverAfterRinging() throws Exception {
        TestUa a = ua("a").script(180, 503);
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        // the callee was reached: its 503 is the answer (relayed as 500, RFC 3261 16.7)
        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(500);
        assertThat(b.invites.get()).isZero();
    }

    @Test
    void invite_splitsByWeightInsidePriority() throws Exception {
        TestUa a = ua("a").script(200);
        TestUa b = ua("b").script(200);
        TestUa c = ua("c").script(200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 1, 20).dest(c.uri(), 2, 10));
        TestUa caller = ua("caller");

        int calls = 300;
        for (int i = 0; i < calls; i++) {
            assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        }

        assertThat(c.invites.get()).isZero();
        assertThat(a.invites.get() + b.invites.get()).isEqualTo(calls);
        // weights 10:20 -> b gets 2/3; 300 draws stay within +-0.09 with overwhelming probability
        assertThat(b.invites.get() / (double) calls).isBetween(0.58, 0.75);
    }

    @Test
    void invite_silentDestinationFailsOverAfterAttemptTimeout() throws Exception {
        RawUdpPeer silent = track(new RawUdpPeer());
        TestUa b = ua("b").script(180, 200);
        TestRouter router = router(TestRouter.builder().attemptTimeoutMs(300).dest(silent.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");

        // well under Timer B's 32 s: the attempt timer moved the call on
        assertThat(call.await(200, 15_000).getStatusCode()).isEqualTo(200);
        assertThat(silent.await("INVITE", WAIT)).isNotNull();
        assertThat(b.invites.get()).isEqualTo(1);
    }

    @Test
    void invite_tcpDestinationWithClosedPortFailsOverAtOnce() throws Exception {
        int closed = TestUa.freePort();
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().attemptTimeoutMs(60_000)
                .dest("sip:127.0.0.1:" + closed + ";transport=tcp", 1, 10, "tcp").dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        // the attempt timer (60 s) is far beyond the wait: only the transport error can move the call on
        assertThat(caller.invite(router.callee(), router.port, "udp").await(200, 15_000).getStatusCode()).isEqualTo(200);
        assertThat(b.invites.get()).isEqualTo(1);
    }

    @Test
    void invite_planExhaustedRelaysBestResponse() throws Exception {
        TestUa a = ua("a").script(503);
        TestUa b = ua("b").script(480);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(480);
    }

    @Test
    void invite_nothingAnsweredGives503WithRetryAfter() throws Exception {
        int closed = TestUa.freePort();
        TestRouter router = router(TestRouter.builder().dest("sip:127.0.0.1:" + closed + ";transport=tcp", 1, 10, "tcp"));
        TestUa caller = ua("caller");

        Response r = caller.invite(router.callee(), router.port, "udp").awaitFinal();
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeader(RetryAfterHeader.NAME)).isNotNull();
    }

    @Test
    void invite_trunkWithoutUrisGives503() throws Exception {
        TestRouter router = router(TestRouter.builder());
        TestUa caller = ua("caller");

        Response r = caller.invite(router.callee(), router.port, "udp").awaitFinal();
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeader(RetryAfterHeader.NAME)).isNotNull();
    }

    @Test
    void cancel_beforeRinging() throws Exception {
        TestUa a = ua("a").script(); // holds the INVITE; its stack sends 100 Trying
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(a.await(Request.INVITE, WAIT)).isNotNull();
        call.cancel();

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(487);
        assertThat(a.await(Request.CANCEL, WAIT)).isNotNull();
        assertThat(b.invites.get()).isZero();
    }

    @Test
    void cancel_afterRinging() throws Exception {
        TestUa a = ua("a").script(180);
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.await(180, WAIT).getStatusCode()).isEqualTo(180);
        call.cancel();

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(487);
        assertThat(a.await(Request.CANCEL, WAIT)).isNotNull();
        assertThat(b.invites.get()).isZero();
    }

    @Test
    void late2xxFromAbandonedBranchIsAckedAndByed() throws Exception {
        RawUdpPeer late = track(new RawUdpPeer());
        TestUa b = ua("b").script(180, 200);
        TestRouter router = router(TestRouter.builder().attemptTimeoutMs(300).dest(late.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        String invite = late.await("INVITE", WAIT);
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);

        late.respond(invite, 200, "OK", new InetSocketAddress("127.0.0.1", router.port));

        assertThat(late.await("ACK", WAIT)).isNotNull();
        assertThat(late.await("BYE", WAIT)).isNotNull();
    }

    @Test
    void invite_maxForwardsZeroGives483() throws Exception {
        TestUa a = ua("a");
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10));
        TestUa caller = ua("caller");

        assertThat(caller.request(Request.INVITE, router.callee(), router.port, "udp", 0).awaitFinal().getStatusCode())
                .isEqualTo(483);
        assertThat(a.invites.get()).isZero();
    }

    @Test
    void invite_unknownNumberGives404() throws Exception {
        TestUa a = ua("a");
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10));
        TestUa caller = ua("caller");

        assertThat(caller.invite("sip:+4930123@127.0.0.1:" + router.port, router.port, "udp").awaitFinal().getStatusCode())
                .isEqualTo(404);
    }

    @Test
    void invite_sourceOutsideAclGives403() throws Exception {
        TestUa a = ua("a");
        TestRouter router = router(TestRouter.builder().allowFrom("[\"10.0.0.0/8\"]").dest(a.uri(), 1, 10));
        TestUa caller = ua("caller");

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(403);
        assertThat(a.invites.get()).isZero();
    }

    @Test
    void message_gives405WithAllow() throws Exception {
        TestRouter router = router(TestRouter.builder());
        TestUa caller = ua("caller");

        Response r = caller.request(Request.MESSAGE, router.callee(), router.port, "udp", 70).awaitFinal();
        assertThat(r.getStatusCode()).isEqualTo(405);
        assertThat(r.getHeader(AllowHeader.NAME).toString()).contains("INVITE");
    }

    @Test
    void options_toRouterGives200() throws Exception {
        TestRouter router = router(TestRouter.builder());
        TestUa caller = ua("caller");

        Response r = caller.request(Request.OPTIONS, "sip:127.0.0.1:" + router.port, router.port, "udp", 70).awaitFinal();
        assertThat(r.getStatusCode()).isEqualTo(200);
    }

    @Test
    void invite_overTcpFromCallerToUdpDestination() throws Exception {
        TestUa a = ua("a").script(180, 200);
        TestRouter router = router(TestRouter.builder().dest(a.uri(), 1, 10));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "tcp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(a.await(Request.ACK, WAIT)).isNotNull();
        assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
    }

    @Test
    void cancel_thenLate2xxFromCancelledBranchIsAckedAndByed() throws Exception {
        RawUdpPeer callee = track(new RawUdpPeer());
        TestRouter router = router(TestRouter.builder().dest(callee.uri(), 1, 10));
        TestUa caller = ua("caller");
        InetSocketAddress routerAddress = new InetSocketAddress("127.0.0.1", router.port);

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        String invite = callee.await("INVITE", WAIT);
        callee.respond(invite, 180, "Ringing", routerAddress);
        assertThat(call.await(180, WAIT).getStatusCode()).isEqualTo(180);
        call.cancel();
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(487);
        assertThat(callee.await("CANCEL", WAIT)).isNotNull();

        // the callee answered anyway, crossing the CANCEL
        callee.respond(invite, 200, "OK", routerAddress);

        assertThat(callee.await("ACK", WAIT)).isNotNull();
        assertThat(callee.await("BYE", WAIT)).isNotNull();
    }

    @Test
    void failover_quarantinesFailingDestinationForLaterCalls() throws Exception {
        TestUa a = ua("a").script(503);
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().quarantineAfter(1).dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);

        assertThat(a.invites.get()).isEqualTo(1);
        assertThat(b.invites.get()).isEqualTo(2);
    }

    @Test
    void timerC_cancelsRingingBranchAndAnswers408() throws Exception {
        TestUa a = ua("a").script(180); // rings for ever
        TestUa b = ua("b").script(200);
        TestRouter router = router(TestRouter.builder().timerCMs(500).dest(a.uri(), 1, 10).dest(b.uri(), 2, 10));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(408);
        assertThat(a.await(Request.CANCEL, WAIT)).isNotNull();
        assertThat(b.invites.get()).isZero();
    }

    @Test
    void invite_udpCallerToTcpDestination_dialogRequestsFollowBothRecordRoutes() throws Exception {
        TestUa pbx = ua("pbx").script(180, 200);
        TestRouter router = router(TestRouter.builder().dest("sip:127.0.0.1:" + pbx.port + ";transport=tcp", 1, 10, "tcp"));
        TestUa caller = ua("caller");

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        Request invite = pbx.await(Request.INVITE, WAIT);
        assertThat(invite.getRequestURI().toString()).contains("transport=tcp");
        assertThat(pbx.await(Request.ACK, WAIT)).isNotNull();

        // callee hangs up: over TCP to the router, then UDP to the caller
        assertThat(pbx.byeAsCallee(invite, "tcp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(caller.await(Request.BYE, WAIT)).isNotNull();
    }

    @Test
    void options_notForRouterWithMaxForwardsZeroGives483() throws Exception {
        TestRouter router = router(TestRouter.builder());
        TestUa caller = ua("caller");

        Response r = caller.request(Request.OPTIONS, "sip:user@127.0.0.9:5060", router.port, "udp", 0).awaitFinal();
        assertThat(r.getStatusCode()).isEqualTo(483);
    }

    @Test
    void retransmitted2xx_isRelayedStatelesslyAndAckedAgain() throws Exception {
        RawUdpPeer callee = track(new RawUdpPeer());
        TestRouter router = router(TestRouter.builder().dest(callee.uri(), 1, 10));
        TestUa caller = ua("caller");
        InetSocketAddress routerAddress = new InetSocketAddress("127.0.0.1", router.port);

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        String invite = callee.await("INVITE", WAIT);
        callee.respond(invite, 200, "OK", routerAddress);
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(callee.await("ACK", WAIT)).isNotNull();

        // the ACK "got lost": the callee retransmits its 2xx, which no transaction holds any more
        callee.respond(invite, 200, "OK", routerAddress);

        assertThat(callee.await("ACK", WAIT)).isNotNull();
    }

    @Test
    void cancel_ofReinviteIsRelayed() throws Exception {
        TestUa pbx = ua("pbx").script(200);
        TestRouter router = router(TestRouter.builder().dest(pbx.uri(), 1, 10));
        TestUa caller = ua("caller");
        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        pbx.holdReinvites = true;

        TestUa.Call reinvite = call.inDialog(Request.INVITE);
        assertThat(reinvite.await(180, WAIT).getStatusCode()).isEqualTo(180);
        reinvite.cancel();

        assertThat(reinvite.awaitFinal().getStatusCode()).isEqualTo(487);
        assertThat(pbx.await(Request.CANCEL, WAIT)).isNotNull();
    }
}
