package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.SipStackImpl;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import org.junit.jupiter.api.Test;

/**
 * The router's stack runs on {@link WheelSipTimer}, whose sweep watches the periodic timers of
 * the stack's real transactions: both INVITE transactions of a ringing call are watched, and
 * once the call is answered they leave the watch and the stack's tables.
 */
class TransactionTimersTest {

    @Test
    void aRingingCallsTransactionsAreWatched_andLeaveOnceItIsAnswered() throws Exception {
        try (TestUa pbx = TestUa.start("pbx").script(180);
             TestUa caller = TestUa.start("caller");
             TestRouter router = TestRouter.builder().defaultTrunk().dest(pbx.uri(), 1, 10, "udp").start()) {
            SipStackImpl stack = router.sipStack();
            assertThat(stack.getTimer()).isInstanceOf(WheelSipTimer.class);
            WheelSipTimer timer = (WheelSipTimer) stack.getTimer();

            TestUa.Call call = caller.invite("sip:+14155550100@127.0.0.1:" + router.port, router.port, "udp");
            assertThat(call.await(180, 10_000)).isNotNull();
            Sipp.await("the INVITE's server and client transactions, watched", 20, () -> timer.watched() == 2
                    && stack.getServerTransactionTableSize() == 1 && stack.getClientTransactionTableSize() == 1);

            pbx.answerHeld(200);
            assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200); // the caller ACKs it

            Sipp.await("both ended and gone", 20, () -> timer.watched() == 0
                    && stack.getServerTransactionTableSize() == 0 && stack.getClientTransactionTableSize() == 0);
        }
    }
}
