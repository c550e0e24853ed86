package io.sipvane.sip.dialog;

import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.testing.RawUdpPeer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In-dialog non-INVITE requests between UDP legs go through without transactions (RFC 3261
 * 16.11): retransmissions keep their branch, responses of any code come back, Max-Forwards and
 * loops are still checked.
 */
class StatelessRelayTest {
    private static final long WAIT = 10_000;

    private RawUdpPeer callee;
    private TestRouter router;
    private DatagramSocket caller;
    private final java.util.concurrent.atomic.AtomicInteger cseq = new java.util.concurrent.atomic.AtomicInteger(1);
    /** The Route of the dialog set up in {@link #start}: the Record-Route the router signed. */
    private String route;

    @BeforeEach
    void start() throws Exception {
        callee = new RawUdpPeer();
        router = TestRouter.builder().dest(callee.uri(), 1, 10).start();
        caller = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        caller.setSoTimeout((int) WAIT);
        // a real call first: only requests of a dialog the router set up are relayed
        int me = caller.getLocalPort();
        send("INVITE sip:+14155550100@127.0.0.1:" + router.port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=z9hG4bK-dialog\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=c1\r\n"
                + "To: <sip:+14155550100@127.0.0.1>\r\n"
                + "Call-ID: dialog@stateless\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + me + ">\r\n"
                + "Content-Length: 0\r\n\r\n");
        String invite = callee.await("INVITE", WAIT);
        callee.respond(invite, 200, "OK", new InetSocketAddress("127.0.0.1", router.port));
        String ok = receive();
        while (ok.startsWith("SIP/2.0 1")) {
            ok = receive();
        }
        assertThat(ok).startsWith("SIP/2.0 200");
        route = Arrays.stream(ok.split("\r\n")).filter(l -> l.startsWith("Record-Route:"))
                .map(l -> "Route:" + l.substring("Record-Route:".length())).findFirst().orElseThrow();
    }

    @AfterEach
    void stop() {
        caller.close();
        router.close();
        callee.close();
    }

    @Test
    void bye_andItsRetransmission_relayedWithOneBranch_andAnswerComesBack() throws Exception {
        String bye = bye("z9hG4bK-bye1", 70);
        send(bye);
        String first = callee.await("BYE", WAIT);
        send(bye); // the caller's retransmission, T1 later: no transaction of ours absorbs it
        String second = callee.await("BYE", WAIT);
        assertThat(topVia(first)).contains("branch=z9hG4bKsvs-bye1").contains(":" + router.port);
        assertThat(topVia(second)).isEqualTo(topVia(first));
        assertThat(first).doesNotContain("Route:").contains("Max-Forwards: 69");

        callee.socket.send(packet(answer(first, 200, "OK"), router.port));
        String ok = receive();
        assertThat(ok).startsWith("SIP/2.0 200 OK");
        assertThat(vias(ok)).containsExactly("Via: SIP/2.0/UDP 127.0.0.1:" + caller.getLocalPort() + ";branch=z9hG4bK-bye1");
    }

    @Test
    void bye_errorAnswerIsRelayedToo() throws Exception {
        send(bye("z9hG4bK-bye2", 70));
        String relayed = callee.await("BYE", WAIT);

        callee.socket.send(packet(answer(relayed, 481, "Call/Transaction Does Not Exist"), router.port));

        assertThat(receive()).startsWith("SIP/2.0 481");
    }

    @Test
    void bye_withMaxForwardsZero_gets483AndGoesNowhere() throws Exception {
        send(bye("z9hG4bK-bye3", 0));

        assertThat(receive()).startsWith("SIP/2.0 483");
        // a BYE sent after it is the first one the callee sees: the spent one went nowhere
        send(bye("z9hG4bK-bye3b", 70));
        assertThat(callee.await("BYE", WAIT)).contains("z9hG4bK-bye3b");
    }

    @Test
    void bye_thatCannotBeSent_gets503WithTheViasItCameWith() throws Exception {
        // the next hop after ours is port 0: the send fails in the socket
        send(bye("z9hG4bK-bye503", 70).replace(route + "\r\n", route + ", <sip:127.0.0.1:0;lr>\r\n"));

        String refused = receive();
        assertThat(refused).startsWith("SIP/2.0 503");
        assertThat(vias(refused)).containsExactly("Via: SIP/2.0/UDP 127.0.0.1:" + caller.getLocalPort() + ";branch=z9hG4bK-bye503");
    }

    @Test
    void ackOfNon2xx_isAbsorbedByOurTransaction_notRelayed() throws Exception {
        int me = caller.getLocalPort();
        String requestUri = "sip:+14155550100@127.0.0.1:" + router.port;
        String invite = "INVITE " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=z9hG4bK-inv486\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=c486\r\n"
                + "To: <sip:+14155550100@127.0.0.1>\r\n"
                + "Call-ID: inv486@stateless\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + me + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
        send(invite);
        String relayed = callee.await("INVITE", WAIT);
        callee.respond(relayed, 486, "Busy Here", new InetSocketAddress("127.0.0.1", router.port));
        String busy = receive();
        while (busy.startsWith("SIP/2.0 100")) {
            busy = receive();
        }
        assertThat(busy).startsWith("SIP/2.0 486");
        String toWithTag = Arrays.stream(busy.split("\r\n")).filter(l -> l.startsWith("To:")).findFirst().orElseThrow();

        // the caller's ACK for the 486: same branch as its INVITE (RFC 3261 17.1.1.3)
        send("ACK " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=z9hG4bK-inv486\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=c486\r\n"
                + toWithTag + "\r\n"
                + "Call-ID: inv486@stateless\r\n"
                + "CSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n");

        // our server transaction got the ACK: it stops retransmitting the 486. Unabsorbed, the
        // 486 would come again at 0.5, 1.5 and 3.5 s (T1 = 500 ms); one copy may cross the ACK
        int copies = 0;
        while (receive(4000).startsWith("SIP/2.0 486")) {
            copies++;
        }
        assertThat(copies).as("486 retransmissions after the ACK").isLessThanOrEqualTo(1);
        // the callee gets the ACK of our own client transaction, and nothing else before the
        // next request of the dialog
        String ack = callee.await("ACK", WAIT);
        assertThat(topVia(ack)).doesNotContain(BranchIds.STATELESS_PREFIX);
        send(bye("z9hG4bK-bye486", 70));
        assertThat(callee.await("", WAIT)).startsWith("BYE");
    }

    private String bye(String branch, int maxForwards) {
        int me = caller.getLocalPort();
        return "BYE sip:pbx@127.0.0.1:" + callee.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=" + branch + "\r\n"
                + route + "\r\n"
                + "Max-Forwards: " + maxForwards + "\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=c1\r\n"
                + "To: <sip:+14155550100@127.0.0.1>;tag=p1\r\n"
                + "Call-ID: dialog@stateless\r\n"
                + "CSeq: " + cseq.incrementAndGet() + " BYE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** A response to {@code request} as its UAS would send it: every Via, From, To, Call-ID, CSeq. */
    private static String answer(String request, int code, String reason) {
        String headers = Arrays.stream(request.split("\r\n"))
                .filter(l -> l.startsWith("Via:") || l.startsWith("From:") || l.startsWith("To:")
                        || l.startsWith("Call-ID:") || l.startsWith("CSeq:"))
                .collect(Collectors.joining("\r\n"));
        return "SIP/2.0 " + code + " " + reason + "\r\n" + headers + "\r\nContent-Length: 0\r\n\r\n";
    }

    private static String topVia(String message) {
        return vias(message)[0];
    }

    private static String[] vias(String message) {
        return Arrays.stream(message.split("\r\n")).filter(l -> l.startsWith("Via:")).toArray(String[]::new);
    }

    private void send(String message) throws Exception {
        caller.send(packet(message, router.port));
    }

    private static DatagramPacket packet(String message, int port) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port));
    }

    private static final String NOTHING = "(nothing)";

    private String receive() throws Exception {
        return receive((int) WAIT);
    }

    private String receive(int timeoutMs) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        caller.setSoTimeout(timeoutMs);
        try {
            caller.receive(p);
        } catch (SocketTimeoutException e) {
            return NOTHING;
        }
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
