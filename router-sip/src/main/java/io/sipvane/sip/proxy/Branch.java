package io.sipvane.sip.proxy;

import io.sipvane.core.routing.Destination;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.SipProvider;

/**
 * One attempt of a call: the INVITE sent to one destination. Guarded by the owning
 * {@link ProxyCall}'s lock; only {@link #call} and the final fields are read without it.
 */
final class Branch {
    enum State {
        /** INVITE sent, nothing heard yet: the attempt timer runs. */
        CALLING,
        /** A 1xx came: Timer C runs. */
        PROCEEDING,
        /** A 2xx came and went upstream. */
        ANSWERED,
        /** A non-2xx final response came. */
        COMPLETED,
        /** Transport error, or given up before any 1xx (no CANCEL possible yet). */
        ABANDONED,
        /** We sent a CANCEL. */
        CANCELLED
    }

    final ProxyCall call;
    final Destination destination;
    final SipProvider provider;
    final String viaBranch;
    ClientTransaction transaction;
    State state = State.CALLING;
    /** An 18x (or other 1xx above 100) came: the callee was reached, no failover any more. */
    boolean reached;
    /** A BYE was sent for a late 2xx of this branch. */
    boolean byeSent;
    /** This branch carries credentials: a further challenge or a 403 is a failure. */
    boolean authenticated;
    ScheduledFuture<?> timer;

    Branch(ProxyCall call, Destination destination, SipProvider provider, String viaBranch) {
        this.call = call;
        this.destination = destination;
        this.provider = provider;
        this.viaBranch = viaBranch;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Whether the branch is over from the call's point of view; later messages are cleanup only. */
    boolean isStale() {
        return state == State.ABANDONED || state == State.CANCELLED;
    }

    @Override
    public String toString() {
        return "Branch[" + destination.id() + " " + state + "]";
    }
}
