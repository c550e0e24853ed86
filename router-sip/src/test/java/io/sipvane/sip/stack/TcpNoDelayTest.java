package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.sipvane.sip.SipServer;
import io.sipvane.sip.testing.TestRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TCP on both legs: a PBX that answers 180 and at once 200, and a caller whose connection
 * carries one call after another. The router writes the 180 and the 200 to the caller back to
 * back; with Nagle's algorithm the 200 would wait for the caller's (delayed) ACK of the 180.
 * Checked on the router's own sockets (TCP_NODELAY on the connection it accepted from the
 * caller and the one it opened to the PBX) and by the time between the two at the caller.
 */
class TcpNoDelayTest {
    private static final int CALLS = 15;

    @Test
    void the200AfterA180_reachesATcpCallerAtOnce_andEveryRouterSocketHasTcpNoDelay() throws Exception {
        try (RawTcpPbx pbx = new RawTcpPbx();
             TestRouter router = TestRouter.builder().defaultTrunk()
                     .dest("sip:127.0.0.1:" + pbx.port() + ";transport=tcp", 1, 10, "tcp").start();
             Socket caller = new Socket()) {
            caller.connect(new InetSocketAddress("127.0.0.1", router.port), 5000);
            caller.setSoTimeout(10_000);
            OutputStream out = caller.getOutputStream();
            MessageReader in = new MessageReader(caller.getInputStream());
            long[] gaps = new long[CALLS];
            for (int i = 0; i < CALLS; i++) {
                out.write(invite(router.port, caller.getLocalPort(), i).getBytes(StandardCharsets.UTF_8));
                out.flush();
                // the two may be relayed in either order (two threads); the stall hits whichever is second
                long ringing = 0;
                long ok = 0;
                while (ringing == 0 || ok == 0) {
                    String m = in.next();
                    if (m.startsWith("SIP/2.0 180")) {
                        ringing = System.nanoTime();
                    } else if (m.startsWith("SIP/2.0 200")) {
                        ok = System.nanoTime();
                    }
                }
                gaps[i] = Math.abs(ok - ringing);
            }
            Arrays.sort(gaps);
            long medianMicros = gaps[CALLS / 2] / 1_000;
            org.slf4j.LoggerFactory.getLogger(TcpNoDelayTest.class).info("180 -> 200 gaps at the caller, ns: {}", Arrays.toString(gaps));
            assertThat(medianMicros).as("median 180 -> 200 gap at the caller, µs (all: %s)", Arrays.toString(gaps))
                    .isLessThan(20_000);

            List<Socket> sockets = routerTcpSockets(router.server);
            assertThat(sockets).as("the router's TCP sockets").hasSizeGreaterThanOrEqualTo(2);
            for (Socket s : sockets) {
                assertThat(s.getTcpNoDelay()).as("TCP_NODELAY on %s", s).isTrue();
            }
        }
    }

    private static String invite(int routerPort, int localPort, int i) {
        return "INVITE sip:+14155550100@127.0.0.1:" + routerPort + ";transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + localPort + ";branch=z9hG4bKnd" + i + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=c" + i + "\r\n"
                + "To: <sip:+14155550100@127.0.0.1>\r\nCall-ID: nodelay-" + i + "\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + localPort + ";transport=tcp>\r\nContent-Length: 0\r\n\r\n";
    }

    /**
     * The sockets behind the router's TCP connections, read out of the stack: the ones it
     * opened (its I/O handler's table) and the ones it accepted (the TCP processor's channels).
     */
    static List<Socket> routerTcpSockets(SipServer server) throws Exception {
        Object proxyStack = field(server, SipServer.class, "stack");
        SipStackImpl stack = (SipStackImpl) field(proxyStack, ProxyStack.class, "stack");
        assertThat(stack.getNetworkLayer()).isInstanceOf(NoDelayNetworkLayer.class);
        List<Socket> sockets = new ArrayList<>();
        Object io = field(stack, SIPTransactionStack.class, "ioHandler");
        sockets.addAll(((Map<?, Socket>) field(io, io.getClass(), "socketTable")).values());
        for (var it = stack.getListeningPoints(); it.hasNext(); ) {
            MessageProcessor p = ((gov.nist.javax.sip.ListeningPointImpl) it.next()).getMessageProcessor();
            if (p instanceof ConnectionOrientedMessageProcessor cp) {
                for (String name : List.of("messageChannels", "incomingMessageChannels")) {
                    for (Object ch : ((Map<?, ?>) field(cp, ConnectionOrientedMessageProcessor.class, name)).values()) {
                        Socket s = (Socket) field(ch, ConnectionOrientedMessageChannel.class, "mySock");
                        if (s != null) {
                            sockets.add(s);
                        }
                    }
                }
            }
        }
        return sockets;
    }

    private static Object field(Object target, Class<?> declaring, String name) throws Exception {
        Field f = declaring.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    /** Reads SIP messages without a body (Content-Length: 0) off a stream. */
    static final class MessageReader {
        private final InputStream in;
        private final StringBuilder buffer = new StringBuilder();

        MessageReader(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            byte[] chunk = new byte[8192];
            while (true) {
                int end = buffer.indexOf("\r\n\r\n");
                if (end >= 0) {
                    String m = buffer.substring(0, end + 4);
                    buffer.delete(0, end + 4);
                    String trimmed = m.strip();
                    if (!trimmed.isEmpty()) {
                        return m;
                    }
                    continue;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("closed with " + buffer);
                }
                buffer.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
            }
        }
    }

    /** A PBX on TCP that answers every INVITE with 180 and, right after, 200 (two writes, no Nagle on its side). */
    static final class RawTcpPbx implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Collection<Socket> accepted = new java.util.concurrent.ConcurrentLinkedQueue<>();

        RawTcpPbx() throws IOException {
            Thread t = new Thread(this::acceptLoop, "raw-tcp-pbx");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    accepted.add(s);
                    Thread t = new Thread(() -> serve(s), "raw-tcp-pbx-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try {
                MessageReader in = new MessageReader(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    String m = in.next();
                    if (m.startsWith("INVITE ")) {
                        out.write(response(m, 180, "Ringing").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        out.write(response(m, 200, "OK").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // connection closed
            }
        }

        private String response(String request, int code, String reason) {
            StringBuilder sb = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
            for (String line : request.split("\r\n")) {
                String lower = line.toLowerCase();
                if (lower.startsWith("via:") || lower.startsWith("v:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                        || lower.startsWith("cseq:") || lower.startsWith("record-route:")) {
                    sb.append(line).append("\r\n");
                } else if (lower.startsWith("to:")) {
                    sb.append(line).append(";tag=pbx").append("\r\n");
                }
            }
            sb.append("Contact: <sip:pbx@127.0.0.1:").append(port()).append(";transport=tcp>\r\nContent-Length: 0\r\n\r\n");
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
