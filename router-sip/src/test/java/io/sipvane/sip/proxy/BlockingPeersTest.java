package io.sipvane.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.testing.Closer;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peers that make a thread wait: a TCP destination that never completes the handshake must
 * not hold up other calls or their timers, and a relay whose next hop is gone still answers.
 */
class BlockingPeersTest {
    private static final String CONNECT_TIMEOUT = "gov.nist.javax.sip.CONNECTION_TIMEOUT";
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
        System.clearProperty(CONNECT_TIMEOUT);
    }

    @Test
    void blackHoledTcpDestination_delaysNoCallsFailoverTimer() throws Exception {
        int blackHole = blackHole();
        TestUa backup = track(TestUa.start("backup"));
        // a connect may take 20 s here: a call that had to wait for it could not finish in time below
        System.setProperty(CONNECT_TIMEOUT, "20000");
        TestRouter router = track(TestRouter.builder().attemptTimeoutMs(300)
                .dest("sip:127.0.0.1:" + blackHole + ";transport=tcp", 1, 10, "tcp").dest(backup.uri(), 2, 10).start());
        TestUa caller = track(TestUa.start("caller"));

        List<TestUa.Call> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(caller.invite(router.callee(), router.port, "udp"));
        }

        for (TestUa.Call call : calls) {
            Response answer = call.await(200, 10_000);
            assertThat(answer).as("answered by the backup while the connects still hang").isNotNull();
            assertThat(answer.getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void reInviteTowardsAPeerThatIsGone_isAnswered() throws Exception {
        TestUa pbx = TestUa.start("pbx");
        TestRouter router = track(TestRouter.builder()
                .dest("sip:127.0.0.1:" + pbx.port + ";transport=tcp", 1, 10, "tcp").start());
        TestUa caller = track(TestUa.start("caller"));
        TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.await(Request.ACK, 20_000)).isNotNull();

        pbx.close(); // its TCP connection and listening socket go away

        // refused at once (503); or, when the router wrote into the dying connection before it
        // saw it close, its Timer B ends the relay after 32 s (408): either way an answer
        Response answer = call.inDialog(Request.INVITE).await(200, 40_000);
        assertThat(answer).as("the re-INVITE is answered").isNotNull();
        assertThat(answer.getStatusCode()).isIn(503, 408);
    }

    @Test
    void tcpDestinationNamedByHost_refusingConnections_failsOverAtOnce() throws Exception {
        int closed = TestUa.freePort();
        TestUa backup = track(TestUa.start("backup"));
        TestRouter router = track(TestRouter.builder().attemptTimeoutMs(30_000)
                .resolver(host -> InetAddress.getLoopbackAddress())
                .dest("sip:pbx.test:" + closed + ";transport=tcp", 1, 10, "tcp").dest(backup.uri(), 2, 10).start());
        TestUa caller = track(TestUa.start("caller"));

        // the attempt timer is 30 s: only the refused connect, matched to its branch, moves it on
        Response answer = caller.invite(router.callee(), router.port, "udp").await(200, 20_000);

        assertThat(answer).isNotNull();
        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(backup.await(Request.INVITE, 1000)).isNotNull();
    }

    /** A listening socket whose accept backlog is full: connects to it neither succeed nor fail. */
    private int blackHole() throws Exception {
        ServerSocket server = track(new ServerSocket());
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket();
            track(s);
            try {
                s.connect(server.getLocalSocketAddress(), 200);
            } catch (java.io.IOException e) {
                break; // the backlog is full: the next SYNs are dropped
            }
        }
        return server.getLocalPort();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        return closer.track(closeable);
    }
}
