package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.config.ConfigLoader;
import io.sipvane.sip.testing.LogCapture;
import io.sipvane.sip.testing.SipFuzzer;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.Sipp.Stats;
import io.sipvane.sip.testing.Sipp.Uas;
import io.sipvane.sip.testing.TestRouter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutated SIP ({@link SipFuzzer}) over UDP and TCP, then: the router still answers, its heap
 * after GC is back near where it started, and a batch of normal SIPp calls to fresh
 * destinations (never fuzzed) all complete.
 *
 * <p>{@code -Dfuzz.seed=N} replays another seed, {@code -Dfuzz.messages=N} sends more; the
 * default seed is fixed so that CI runs the same messages every time.
 */
class FuzzTest {
    private static final Logger LOG = LoggerFactory.getLogger(FuzzTest.class);
    static final long DEFAULT_SEED = 20_261_130L;
    private static final long HEAP_SLACK = 32L << 20;

    @TempDir
    Path dir;

    @Test
    void mutatedMessages_leaveTheRouterRouting_withItsHeapBackNearWhereItStarted() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int messages = Integer.getInteger("fuzz.messages", 3_000);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (Sipp sipp = new Sipp(dir);
             DatagramSocket silent = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Uas fuzzed = sipp.uas("fuzzed", "uas_rr.xml");
            try (TestRouter router = TestRouter.builder().defaultTrunk().attemptTimeoutMs(500)
                         .dest(fuzzed.uri(), 1, 10).dest("sip:127.0.0.1:" + silent.getLocalPort(), 1, 10).start();
                 LogCapture log = LogCapture.serverLevels();
                 Marker marker = new Marker(router.port)) {
                // warm up (classes, the stack's pools) before the baseline
                assertThat(sipp.runUac(router.port, 20, 20, "warm").get("SuccessfulCall(C)")).isEqualTo(20);
                long before = usedHeapAfterGc();
                long started = System.nanoTime();

                SipFuzzer fuzzer = new SipFuzzer(seed, router.port);
                InetSocketAddress target = new InetSocketAddress(loopback, router.port);
                DatagramSocket[] udp = new DatagramSocket[4];
                for (int i = 0; i < udp.length; i++) {
                    udp[i] = new DatagramSocket(new InetSocketAddress(loopback, 0));
                }
                int udpMessages = messages * 2 / 3;
                try {
                    for (int i = 0; i < udpMessages; i++) {
                        DatagramSocket s = udp[i % udp.length];
                        byte[] b = fuzzer.next("UDP", s.getLocalPort());
                        s.send(new DatagramPacket(b, b.length, target));
                        if (i % 100 == 99) {
                            marker.roundTrip(); // paced by the router, and proof that it still answers
                        }
                    }
                } finally {
                    for (DatagramSocket s : udp) {
                        s.close();
                    }
                }
                int tcpMessages = messages - udpMessages;
                for (int sent = 0; sent < tcpMessages; ) {
                    try (Socket tcp = new Socket()) {
                        tcp.connect(target, 5000);
                        OutputStream out = tcp.getOutputStream();
                        for (int i = 0; i < 25 && sent < tcpMessages; i++, sent++) {
                            out.write(fuzzer.next("TCP", tcp.getLocalPort()));
                        }
                        out.flush();
                    } catch (IOException e) {
                        // the router closed a connection that sent too much garbage: the next one
                    }
                    marker.roundTrip();
                }
                LOG.info("fuzz seed {}: {} messages ({} UDP, {} TCP) in {} ms, {} counted malformed, log {} bytes",
                        seed, messages, udpMessages, tcpMessages, (System.nanoTime() - started) / 1_000_000,
                        MalformedInputTest.malformed(router, "udp") + MalformedInputTest.malformed(router, "tcp"), log.bytes());
                assertThat(router.server.isRunning()).isTrue();
                assertThat(log.bytes()).as("log growth while fuzzing (seed %d)", seed).isLessThan(1L << 20);

                // fresh destinations, never fuzzed: every call completes
                Uas a = sipp.uas("fresh-a", "uas_rr.xml");
                Uas b = sipp.uas("fresh-b", "uas_rr.xml");
                router.table.publish(ConfigLoader.parse(TestRouter.builder().defaultTrunk()
                        .dest(a.uri(), 1, 10).dest(b.uri(), 1, 10).yaml(router.port), "fresh.yaml"));
                Stats calls = sipp.runUac(router.port, 200, 100, "after");
                assertThat(calls.get("FailedCall(C)")).as("failed calls after fuzzing (seed %d)", seed).isZero();
                assertThat(calls.get("SuccessfulCall(C)")).isEqualTo(200);
                long[] perPbx = sipp.awaitTotal("SuccessfulCall(C)", 200, a, b);
                assertThat(perPbx[0]).as("calls to fresh PBX a").isPositive();
                assertThat(perPbx[1]).as("calls to fresh PBX b").isPositive();

                long after = usedHeapAfterGc();
                LOG.info("fuzz seed {}: heap after GC {} KiB before, {} KiB after", seed, before >> 10, after >> 10);
                assertThat(after - before).as("heap growth after GC (seed %d)", seed).isLessThan(HEAP_SLACK);
            }
        }
    }

    /** Used heap after full collections, once two in a row agree within 1 MiB (ten at most). */
    static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < (1L << 20)) {
                return Math.min(previous, used);
            }
            previous = used;
        }
        return previous;
    }

    /** OPTIONS to the router itself from a socket of its own; {@link #roundTrip} waits for the 200. */
    private static final class Marker implements AutoCloseable {
        private final DatagramSocket socket;
        private final int routerPort;
        private int n;

        Marker(int routerPort) throws IOException {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.socket.setSoTimeout(10_000);
            this.routerPort = routerPort;
        }

        void roundTrip() throws IOException {
            String callId = "marker-" + (++n);
            String options = "OPTIONS sip:127.0.0.1:" + routerPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + socket.getLocalPort() + ";branch=z9hG4bKmark" + n + "\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:marker@127.0.0.1>;tag=m\r\nTo: <sip:127.0.0.1>\r\nCall-ID: " + callId
                    + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            byte[] b = options.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), routerPort)));
            byte[] buf = new byte[65_536];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the router did not answer OPTIONS " + callId + " within 10 s");
                }
                String answer = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                if (answer.startsWith("SIP/2.0 200") && answer.contains(callId)) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
