package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPMessage;
import io.sipvane.sip.testing.Closer;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which listener a message uses, through real sockets on two loopback addresses: a request
 * leaves on the listener facing its destination, is record-routed on both legs, and Via and
 * Record-Route carry the advertised address.
 */
class ListenersTest {
    private static final long WAIT = 20_000;
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    @Test
    void callEnteringOnOneListener_leavesOnTheOneFacingTheDestination_andBothLegsAreRecordRouted() throws Exception {
        TestUa pbx = track(TestUa.startOn("pbx", "127.0.0.2", TestUa.freePort()));
        TestUa caller = track(TestUa.start("caller"));
        TestRouter router = track(TestRouter.builder().listen("udp:127.0.0.1:%d", "udp:127.0.0.2:%d")
                .dest(pbx.uri(), 1, 10).start());

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);

        Request invite = pbx.await(Request.INVITE, WAIT);
        assertThat(((SIPMessage) invite).getRemoteAddress().getHostAddress()).as("sent from").isEqualTo("127.0.0.2");
        ViaHeader via = (ViaHeader) invite.getHeader(ViaHeader.NAME);
        assertThat(via.getHost() + ":" + via.getPort()).isEqualTo("127.0.0.2:" + router.port);
        assertThat(recordRoutes(invite)).containsExactly("127.0.0.2:" + router.port, "127.0.0.1:" + router.port);

        // each side's in-dialog requests reach the router on its own address and go on
        assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
        Request bye = pbx.await(Request.BYE, WAIT);
        assertThat(((SIPMessage) bye).getRemoteAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void wildcardListener_advertisesItsConfiguredAddress_inViaAndRecordRoute() throws Exception {
        TestUa pbx = track(TestUa.start("pbx"));
        TestUa caller = track(TestUa.start("caller"));
        // 127.0.0.5 reaches the wildcard socket too: peers that follow Via and Record-Route find us
        TestRouter router = track(TestRouter.builder().listen("udp:0.0.0.0:%d;advertise=127.0.0.5:%d")
                .dest(pbx.uri(), 1, 10).start());

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);

        Request invite = pbx.await(Request.INVITE, WAIT);
        ViaHeader via = (ViaHeader) invite.getHeader(ViaHeader.NAME);
        assertThat(via.getHost() + ":" + via.getPort()).isEqualTo("127.0.0.5:" + router.port);
        assertThat(recordRoutes(invite)).containsExactly("127.0.0.5:" + router.port);
        // the caller's BYE follows the advertised Record-Route, is recognised as ours and relayed
        assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.await(Request.BYE, WAIT)).isNotNull();
    }

    private static List<String> recordRoutes(Request request) {
        List<String> hops = new ArrayList<>();
        ListIterator<?> it = request.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            javax.sip.address.SipURI uri = (javax.sip.address.SipURI) ((RecordRouteHeader) it.next()).getAddress().getURI();
            hops.add(uri.getHost() + ":" + uri.getPort());
        }
        return hops;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        return closer.track(closeable);
    }
}
