package io.sipvane.sip.stack;

import io.sipvane.core.testing.Await;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.RawUdpPeer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The UDP listener whose workers receive datagrams themselves: whole datagrams of any size up
 * to the stack's limit, no bytes carried over from a larger datagram into the next one (the
 * buffers are reused), and no worker left running after stop.
 */
class InlineUdpProcessorTest {
    private static final long WAIT = 10_000;

    @Test
    void largeThenSmallInvite_bothRelayedWhole() throws Exception {
        try (RawUdpPeer pbx = new RawUdpPeer();
             TestRouter router = TestRouter.builder().dest(pbx.uri(), 1, 10).start();
             DatagramSocket caller = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String big = "v=0\r\na=x-filler:" + "y".repeat(30_000) + "\r\n";
            send(caller, router.port, invite(caller.getLocalPort(), "big", big));
            send(caller, router.port, invite(caller.getLocalPort(), "small", "v=0\r\n"));

            // two workers: either may be relayed first
            List<String> invites = List.of(pbx.await("INVITE", WAIT), pbx.await("INVITE", WAIT));
            String first = invites.stream().filter(m -> m.contains("Call-ID: big")).findFirst().orElseThrow();
            String second = invites.stream().filter(m -> m.contains("Call-ID: small")).findFirst().orElseThrow();
            assertThat(bodyOf(first)).isEqualTo(big);
            assertThat(bodyOf(second)).isEqualTo("v=0\r\n");
        }
    }

    @Test
    void stop_endsEveryWorker() throws Exception {
        TestRouter router = TestRouter.builder().dest("sip:127.0.0.1:5999", 1, 10).start();
        String workerName = "-udp-" + router.port + "-";
        assertThat(workers(workerName)).isEqualTo(StackPropertiesTest.DEFAULT_WORKERS);

        router.close();

        Await.until("every worker ended", Duration.ofMillis(WAIT), () -> workers(workerName) == 0);
    }

    private static long workers(String namePart) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains(namePart))
                .count();
    }

    private static String invite(int fromPort, String callId, String body) {
        return "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=" + callId + "\r\n"
                + "To: <sip:+14155550100@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + fromPort + ">\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "\r\n" + body;
    }

    private static String bodyOf(String message) {
        return message.substring(message.indexOf("\r\n\r\n") + 4);
    }

    private static void send(DatagramSocket socket, int port, String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
    }
}
