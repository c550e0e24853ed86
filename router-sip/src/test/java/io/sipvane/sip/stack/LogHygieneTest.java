package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.sipvane.core.routing.Destination;
import io.sipvane.sip.testing.LogCapture;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.util.concurrent.ExecutionException;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * One event, one WARN line: a call to a TCP destination that refuses the connection and a
 * probe of a TCP destination that is down each log the destination and the reason, never the
 * message, the stack's connection table or a stack trace (those are at DEBUG); repeated
 * failures of one destination within 10 s share a line.
 */
class LogHygieneTest {
    @Test
    void refusedTcpConnection_isOneWarnLine_withDestinationAndReason() throws Exception {
        int dead = TestUa.freePort();
        try (TestUa pbx = TestUa.start("pbx").script(180, 200);
             TestRouter router = TestRouter.builder().defaultTrunk()
                     .dest("sip:127.0.0.1:" + dead + ";transport=tcp", 1, 10, "tcp")
                     .dest(pbx.uri(), 2, 10).start();
             TestUa caller = TestUa.start("caller");
             LogCapture log = LogCapture.serverLevels()) {
            TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
            assertThat(call.awaitFinal().getStatusCode()).as("failed over to the backup").isEqualTo(200);
            assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);

            assertThat(log.lines(Level.WARN)).containsExactly("WARN " + ConnectFailures.class.getName()
                    + " - TCP connection to 127.0.0.1:" + dead + " failed: Connection refused");
            assertThat(log.atLeast(Level.WARN)).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        }
    }

    @Test
    void failedProbesOfADownTcpDestination_areOneWarnLine() throws Exception {
        int dead = TestUa.freePort();
        try (TestRouter router = TestRouter.builder().defaultTrunk()
                     .dest("sip:127.0.0.1:" + dead + ";transport=tcp", 1, 10, "tcp").start();
             LogCapture log = LogCapture.serverLevels()) {
            Destination down = new Destination(router.table.current().config().originationUris().get(0), 1);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> router.server.probe(down, 1000).get()).isInstanceOf(ExecutionException.class);
            }
            // one line for the first; the next ones within 10 s are counted into the following line
            // (ConnectFailuresTest)
            assertThat(log.lines(Level.WARN)).containsExactly("WARN " + ConnectFailures.class.getName()
                    + " - TCP connection to 127.0.0.1:" + dead + " failed: Connection refused");
            assertThat(log.atLeast(Level.WARN)).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        }
    }
}
