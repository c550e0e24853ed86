package io.sipvane.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.sipvane.core.testing.Await;
import io.sipvane.sip.dialog.StatelessRelay;
import io.sipvane.sip.testing.LogCapture;
import io.sipvane.sip.testing.RawUdpPeer;
import io.sipvane.sip.testing.Closer;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router as an attacker on the same network meets it, through real sockets: forged
 * in-dialog requests and caller-chosen next hops go nowhere, refusals cost one packet, an
 * extension scan leaves the PBX in service, and an abandoned attempt stops retransmitting.
 */
class EdgeSecurityTest {
    private static final long WAIT = 20_000;
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    @Test
    void forgedInDialogRequests_get404_andNeverReachTheirTarget() throws Exception {
        TestUa victim = track(TestUa.start("victim"));
        TestRouter router = track(TestRouter.builder().dest(victim.uri(), 1, 10).start());
        DatagramSocket attacker = track(socket());
        String target = "sip:victim@127.0.0.1:" + victim.port;

        // no Route at all (an open relay forwards these to the Request-URI), then a Route naming
        // the router without a token, then one with a token signed for another dialog
        List<String> forged = new ArrayList<>();
        for (String method : new String[] {"BYE", "MESSAGE", "NOTIFY", "OPTIONS", "INVITE"}) {
            forged.add(inDialog(method, target, attacker, null));
        }
        forged.add(inDialog("BYE", target, attacker, "<sip:127.0.0.1:" + router.port + ";lr;transport=udp>"));
        forged.add(inDialog("BYE", target, attacker, "<sip:127.0.0.1:" + router.port + ";lr;transport=udp;svt=AAAAAAAAAAAAAAAA>"));
        for (String request : forged) {
            send(attacker, request, router.port);
            assertThat(receive(attacker)).as(request).startsWith("SIP/2.0 404");
        }

        // a real call afterwards: the first request the victim ever sees is its INVITE
        TestUa caller = track(TestUa.start("caller"));
        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(victim.requests.poll().getMethod()).isEqualTo(Request.INVITE);
    }

    @Test
    void realDialog_isRelayedBothWays_throughTheSignedRoute() throws Exception {
        TestUa pbx = track(TestUa.start("pbx"));
        TestRouter router = track(TestRouter.builder().dest(pbx.uri(), 1, 10).start());
        TestUa caller = track(TestUa.start("caller"));

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        Request invite = pbx.await(Request.INVITE, WAIT);
        assertThat(invite.getHeader("Record-Route").toString()).contains(";svt=");

        assertThat(call.inDialog(Request.INVITE).awaitFinal().getStatusCode()).as("re-INVITE").isEqualTo(200);
        assertThat(pbx.byeAsCallee(invite, "udp").awaitFinal().getStatusCode()).as("BYE from the callee").isEqualTo(200);
    }

    @Test
    void sourceOutsideAllowFrom_getsNothingRelayed() throws Exception {
        TestUa pbx = track(TestUa.start("pbx"));
        TestRouter router = track(TestRouter.builder().allowFrom("[\"127.0.0.2/32\"]").dest(pbx.uri(), 1, 10).start());
        DatagramSocket outsider = track(socket());

        send(outsider, initial("INVITE", "sip:+14155550100@127.0.0.1:" + router.port, outsider, null), router.port);
        assertThat(receive(outsider)).startsWith("SIP/2.0 403");
        send(outsider, initial("OPTIONS", "sip:127.0.0.1:" + router.port, outsider, null), router.port);
        assertThat(receive(outsider)).startsWith("SIP/2.0 403");
        send(outsider, inDialog("MESSAGE", pbx.uri(), outsider, null), router.port);
        assertThat(receive(outsider)).startsWith("SIP/2.0 404");
        assertThat(pbx.requests).isEmpty();
    }

    @Test
    void preloadedRoute_isRefused_byDefault() throws Exception {
        TestUa pbx = track(TestUa.start("pbx"));
        RawUdpPeer attacker = track(new RawUdpPeer());
        TestRouter router = track(TestRouter.builder().dest(pbx.uri(), 1, 10).start());
        DatagramSocket caller = track(socket());

        send(caller, initial("INVITE", "sip:+14155550100@127.0.0.1:" + router.port, caller,
                "<sip:127.0.0.1:" + attacker.port() + ";lr>"), router.port);

        String answer = receive(caller);
        assertThat(answer).startsWith("SIP/2.0 403 Preload Route denied");
        assertThat(attacker.received).isEmpty();
        assertThat(pbx.requests).isEmpty();
    }

    @Test
    void preloadedRoute_isStripped_whenConfiguredSo() throws Exception {
        TestUa pbx = track(TestUa.start("pbx"));
        RawUdpPeer attacker = track(new RawUdpPeer());
        TestRouter router = track(TestRouter.builder().sipExtra("  preloaded_route: strip\n").dest(pbx.uri(), 1, 10).start());
        DatagramSocket caller = track(socket());

        send(caller, initial("INVITE", "sip:+14155550100@127.0.0.1:" + router.port, caller,
                "<sip:127.0.0.1:" + attacker.port() + ";lr>"), router.port);

        Request invite = pbx.await(Request.INVITE, WAIT);
        assertThat(invite).isNotNull();
        assertThat(invite.getHeader("Route")).isNull();
        assertThat(attacker.received).isEmpty();
    }

    @Test
    void challengeFromAnotherAddress_isNeverAnsweredWithTheDestinationsCredentials() throws Exception {
        RawUdpPeer destination = track(new RawUdpPeer());
        TestUa backup = track(TestUa.start("backup"));
        TestRouter router = track(TestRouter.builder().destWithAuth(destination.uri(), 1, 10, "user", "secret")
                .dest(backup.uri(), 2, 10).start());
        TestUa caller = track(TestUa.start("caller"));
        DatagramSocket hop = track(socket());

        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        String invite = destination.await("INVITE", WAIT);
        // someone else answers the INVITE's branch with a challenge
        String challenge = answer(invite, 401, "Unauthorized")
                .replace("Content-Length: 0", "WWW-Authenticate: Digest realm=\"x\", nonce=\"n\"\r\nContent-Length: 0");
        send(hop, challenge, router.port);

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(backup.await(Request.INVITE, WAIT)).isNotNull();
        String next;
        while ((next = destination.await("INVITE", 0)) != null) {
            assertThat(next).as("credentials sent to the destination").doesNotContain("Authorization");
        }
    }

    @Test
    void extensionScan_leavesTheDestinationInService() throws Exception {
        TestUa pbx = track(TestUa.start("pbx").script(404));
        TestUa busy = track(TestUa.start("busy").script(480));
        TestRouter router = track(TestRouter.builder().quarantineAfter(2).dest(pbx.uri(), 1, 10)
                .dest(busy.uri(), 2, 10).start());
        TestUa scanner = track(TestUa.start("scanner"));

        for (int i = 0; i < 100; i++) {
            String extension = "sip:+1415555" + String.format("%04d", i) + "@127.0.0.1:" + router.port;
            assertThat(scanner.invite(extension, router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(404);
        }

        UUID pbxId = router.table.current().trunkFor("127.0.0.1", "14155550100").destinations().get(0).id();
        assertThat(router.quarantine.isUp(pbxId)).as("404s speak of the callee, not the PBX").isTrue();
    }

    @Test
    void refusedInvite_fromASourceThatNeverAcks_costsOnePacket() throws Exception {
        TestRouter router = track(TestRouter.builder().start());
        DatagramSocket scanner = track(socket());

        send(scanner, initial("INVITE", "sip:+4930555@127.0.0.1:" + router.port, scanner, null), router.port);

        assertThat(receive(scanner)).startsWith("SIP/2.0 404");
        // an INVITE server transaction would repeat it at 0.5, 1.5 and 3.5 s (Timer G)
        assertThat(receive(scanner, 4000)).as("a repeated refusal").isNull();
    }

    @Test
    void routedInvite_fromASourceThatNeverAcks_costsAtMostFivePackets() throws Exception {
        TestUa pbx = track(TestUa.start("pbx").script(404));
        TestRouter router = track(TestRouter.builder().dest(pbx.uri(), 1, 10).start());
        DatagramSocket scanner = track(socket());

        send(scanner, initial("INVITE", "sip:+14155550100@127.0.0.1:" + router.port, scanner, null), router.port);

        // Kamailio sends 5-6 here: 100 Trying, the 404 and its repeats until its wait timer
        int packets = 0;
        while (receive(scanner, 6000) != null) {
            packets++;
        }
        assertThat(packets).as("packets to a caller that never ACKs").isBetween(2, 5);
    }

    @Test
    void abandonedAttempt_stopsRetransmittingAtOnce() throws Exception {
        RawUdpPeer silent = track(new RawUdpPeer());
        TestUa backup = track(TestUa.start("backup"));
        TestRouter router = track(TestRouter.builder().attemptTimeoutMs(200).dest(silent.uri(), 1, 10)
                .dest(backup.uri(), 2, 10).start());
        TestUa caller = track(TestUa.start("caller"));

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);

        assertThat(silent.await("INVITE", WAIT)).isNotNull();
        // Timer A would resend it at 0.5, 1.5 and 3.5 s after the first copy
        assertThat(silent.await("INVITE", 4000)).as("an INVITE after the call moved on").isNull();
    }

    @Test
    void destinationResolvingToTheRouterItself_ends482_notALoop() throws Exception {
        TestRouter.Builder builder = TestRouter.builder();
        int port = TestUa.freePort();
        TestRouter router = track(builder.port(port).resolver(host -> InetAddress.getByName("127.0.0.1"))
                .dest("sip:loop.test:" + port, 1, 10).start());
        TestUa caller = track(TestUa.start("caller"));

        Response answer = caller.invite(router.callee(), router.port, "udp").awaitFinal();

        assertThat(answer.getStatusCode()).isEqualTo(482);
    }

    // ------------------------------------------------------------------ raw messages

    @Test
    void inviteRetransmittedAfterIts2xx_isAbsorbed_afterTheStackHasForgottenItsTransaction() throws Exception {
        TestUa pbx = track(TestUa.start("pbx"));
        TestRouter router = track(TestRouter.builder().dest(pbx.uri(), 1, 10).start());
        DatagramSocket caller = track(socket());
        LogCapture logs = track(LogCapture.serverLevels().level(StatelessRelay.class.getName(), Level.DEBUG));
        String invite = initial("INVITE", "sip:+14155550100@127.0.0.1:" + router.port, caller, null);

        send(caller, invite, router.port);
        receiveUntil(caller, "SIP/2.0 200");
        // the stack ends the transaction within a second of the 2xx; from then on only the
        // router's own record of answered INVITEs stands between a retransmission and a new call
        repeatUntilLogged(logs, "absorbed an INVITE retransmitted", () -> {
            send(caller, invite, router.port);
            receive(caller, 100); // paces the retransmissions; nothing is expected back
        });

        // a new call behind the retransmissions: once it reaches the PBX, they have been handled
        send(caller, initial("INVITE", "sip:+14155550100@127.0.0.1:" + router.port, caller, null), router.port);
        Request first = pbx.await(Request.INVITE, WAIT);
        Request next = pbx.await(Request.INVITE, WAIT);
        assertThat(next).isNotNull();
        assertThat(next.getHeader("Call-ID")).as("the INVITE after the call's: the marker, no retransmission")
                .isNotEqualTo(first.getHeader("Call-ID"));
    }

    @Test
    void a2xxRetransmittedAfterItsTransactionEnded_stillReachesTheCaller() throws Exception {
        RawUdpPeer pbx = track(new RawUdpPeer());
        TestRouter router = track(TestRouter.builder().dest(pbx.uri(), 1, 10).start());
        DatagramSocket caller = track(socket());
        LogCapture logs = track(LogCapture.serverLevels().level(StrayResponses.class.getName(), Level.DEBUG));
        send(caller, initial("INVITE", "sip:+14155550100@127.0.0.1:" + router.port, caller, null), router.port);
        String invite = pbx.await("INVITE", WAIT);
        InetSocketAddress routerAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), router.port);

        pbx.respond(invite, 200, "OK", routerAddress);
        receiveUntil(caller, "SIP/2.0 200");
        // the PBX misses the ACK and retransmits its 2xx; once the stack has ended the client
        // transaction (within a second), a retransmission matches none and is relayed as a stray
        repeatUntilLogged(logs, "2xx that matches no transaction", () -> {
            pbx.respond(invite, 200, "OK", routerAddress);
            assertThat(receive(caller)).as("the retransmitted 2xx, relayed").startsWith("SIP/2.0 200");
        });
    }

    private static String initial(String method, String requestUri, DatagramSocket from, String route) {
        int me = from.getLocalPort();
        return method + " " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=z9hG4bK-" + UUID.randomUUID() + "\r\n"
                + (route == null ? "" : "Route: " + route + "\r\n")
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=a1\r\n"
                + "To: <" + requestUri + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "@attacker\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + me + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static String inDialog(String method, String requestUri, DatagramSocket from, String route) {
        return initial(method, requestUri, from, route).replace("To: <" + requestUri + ">", "To: <" + requestUri + ">;tag=forged");
    }

    /** A response to {@code request} from its UAS: Via, From, To (tagged), Call-ID, CSeq. */
    private static String answer(String request, int code, String reason) {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String line : request.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                sb.append(line).append("\r\n");
            } else if (line.startsWith("To:")) {
                sb.append(line).append(";tag=hop\r\n");
            }
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** The next datagram that starts with {@code start}, the ones before it (100, 180) skipped. */
    private static String receiveUntil(DatagramSocket socket, String start) throws Exception {
        String answer;
        do {
            answer = receive(socket);
        } while (!answer.startsWith(start));
        return answer;
    }

    /** Runs {@code step} again and again until the router logs a DEBUG line containing {@code text}. */
    private static void repeatUntilLogged(LogCapture logs, String text, Step step) throws Exception {
        Await.until("a DEBUG line containing " + text, Duration.ofMillis(WAIT), () -> {
            if (logs.lines(Level.DEBUG).stream().anyMatch(l -> l.contains(text))) {
                return true;
            }
            step.run();
            return false;
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout((int) WAIT);
        return s;
    }

    private static void send(DatagramSocket from, String message, int port) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private static String receive(DatagramSocket socket) throws Exception {
        String r = receive(socket, (int) WAIT);
        assertThat(r).as("an answer").isNotNull();
        return r;
    }

    /** The next datagram, or null when none comes within {@code timeoutMs}. */
    private static String receive(DatagramSocket socket, int timeoutMs) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(timeoutMs);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        return closer.track(closeable);
    }
}
