package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.Counter;
import io.sipvane.core.testing.Await;
import io.sipvane.sip.testing.LogCapture;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * Malformed input over a real socket: counted exactly, summarised in the log (never dumped),
 * answered as the stack answers it, and the router still routes afterwards.
 */
class MalformedInputTest {
    private static final int FLOOD = 5_000;
    private static final int BATCH = 50;

    /** Requests the stack rejects, one kind each; {@code %d} is a sequence number. */
    static List<String> malformedKinds(int viaPort) {
        String via = "Via: SIP/2.0/UDP 127.0.0.1:" + viaPort + ";branch=z9hG4bKmal%d\r\n";
        String rest = "From: <sip:a@127.0.0.1>;tag=f%d\r\nTo: <sip:+14155550100@127.0.0.1>\r\n";
        return List.of(
                // not a request line
                "hello world %d\r\n\r\n",
                // a Via that does not parse
                "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\nVia: garbage %d\r\n" + rest
                        + "Call-ID: m%d\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                // no Call-ID
                "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n" + via + rest
                        + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                // a CSeq number that is not one
                "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n" + via + rest
                        + "Call-ID: m%d\r\nCSeq: x%d INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                // no CSeq: the stock UDP channel failed on it with a NullPointerException and logged
                // its whole receive buffer (64 KiB as numbers, about 200 KB of text) at WARN
                "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n" + via + rest
                        + "Call-ID: m%d\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void fiveThousandMalformedDatagrams_areCountedExactly_loggedInAFewLines_andCallsStillComplete() throws Exception {
        try (TestUa pbx = TestUa.start("pbx").script(180, 200);
             TestRouter router = TestRouter.builder().defaultTrunk().dest(pbx.uri(), 1, 10).start();
             TestUa caller = TestUa.start("caller");
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             LogCapture log = LogCapture.serverLevels()) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", router.port);
            List<String> kinds = malformedKinds(udp.getLocalPort());
            for (int sent = 0; sent < FLOOD; ) {
                for (int i = 0; i < BATCH; i++, sent++) {
                    byte[] b = kinds.get(sent % kinds.size()).replace("%d", Integer.toString(sent)).getBytes(StandardCharsets.UTF_8);
                    udp.send(new DatagramPacket(b, b.length, target));
                }
                // paced by what the router took, so that no datagram is lost in a full socket buffer
                int expected = sent;
                await("the router counted " + expected, () -> malformed(router, "udp") >= expected);
            }
            assertThat(malformed(router, "udp")).isEqualTo(FLOOD);

            List<ILoggingEvent> warnings = log.atLeast(Level.WARN);
            assertThat(warnings).as("one summary line per source per 10 s").hasSizeBetween(1, 3)
                    .allSatisfy(e -> assertThat(e.getLoggerName()).isEqualTo(MalformedInput.class.getName()));
            assertThat(log.lines(Level.WARN)).allSatisfy(line -> {
                assertThat(line).doesNotContain("\n").doesNotContain("Call-ID").doesNotContain("+1415");
            });
            assertThat(log.bytes()).as("log growth for %d malformed datagrams", FLOOD).isLessThan(1L << 20);
            assertThat(log.bytes()).isLessThan(4_096);

            TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
            assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
            assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestsTheStackAnswers400_getOne400Each_andAreCountedOnce() throws Exception {
        try (TestRouter router = TestRouter.builder().defaultTrunk().start();
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             LogCapture log = LogCapture.serverLevels()) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", router.port);
            String via = "Via: SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";branch=z9hG4bK";
            // the CSeq names another method: the stack answers 400 itself
            send(udp, target, "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n" + via + "bad1\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: bad-1\r\nCSeq: 1 BYE\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            List<String> answers = new ArrayList<>(receiveUntil(udp, "Call-ID: bad-1"));
            // a CSeq number that does not parse: the parser rejects it, the stack answers 400 from the raw text
            send(udp, target, "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n" + via + "bad2\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: bad-2\r\nCSeq: x1 INVITE\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            answers.addAll(receiveUntil(udp, "Call-ID: bad-2"));
            // a marker the router answers (OPTIONS to itself), sent once both were answered: a second
            // answer to either would come before the marker's
            send(udp, target, "OPTIONS sip:127.0.0.1:" + router.port + " SIP/2.0\r\n" + via + "marker\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: marker-1\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            answers.addAll(receiveUntil(udp, "marker-1"));
            for (String callId : List.of("Call-ID: bad-1", "Call-ID: bad-2")) {
                assertThat(answers.stream().filter(a -> a.contains(callId))).as("answers to %s", callId).hasSize(1)
                        .allSatisfy(a -> assertThat(a).startsWith("SIP/2.0 400"));
            }
            assertThat(malformed(router, "udp")).isEqualTo(2);
            assertThat(log.lines(Level.WARN)).hasSize(1).first().asString()
                    .contains("malformed SIP message from 127.0.0.1 over udp: method INVITE but CSeq method BYE");
        }
    }

    @Test
    void malformedMessagesOverTcp_areCountedPerTransport() throws Exception {
        try (TestRouter router = TestRouter.builder().defaultTrunk().start();
             LogCapture log = LogCapture.serverLevels()) {
            List<String> kinds = malformedKinds(5060);
            for (int i = 0; i < kinds.size(); i++) {
                try (Socket tcp = new Socket()) {
                    tcp.connect(new InetSocketAddress("127.0.0.1", router.port), 5000);
                    OutputStream out = tcp.getOutputStream();
                    out.write(kinds.get(i).replace("%d", Integer.toString(i)).replace("/UDP", "/TCP").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    int expected = i + 1;
                    await("tcp counted " + expected, () -> malformed(router, "tcp") >= expected);
                }
            }
            assertThat(malformed(router, "tcp")).isEqualTo(kinds.size());
            assertThat(malformed(router, "udp")).isZero();
            assertThat(log.lines(Level.WARN)).hasSize(1).allSatisfy(l -> assertThat(l).contains("over tcp").doesNotContain("\n"));
        }
    }

    /** Waits up to 30 s for {@code condition} ({@link Await}); fails naming {@code what}. */
    static void await(String what, Await.Condition<RuntimeException> condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    static double malformed(TestRouter router, String transport) {
        Counter c = router.registry.find("sipvane.malformed.messages").tag("transport", transport).counter();
        return c == null ? 0 : c.count();
    }

    private static void send(DatagramSocket udp, InetSocketAddress to, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        udp.send(new DatagramPacket(b, b.length, to));
    }

    /** Every datagram received until one that contains {@code marker} (10 s at most). */
    private static List<String> receiveUntil(DatagramSocket udp, String marker) throws Exception {
        List<String> got = new ArrayList<>();
        udp.setSoTimeout(10_000);
        byte[] buf = new byte[65_536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer containing " + marker + " after " + got);
            }
            String s = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            got.add(s);
            if (s.contains(marker)) {
                return got;
            }
        }
    }
}
