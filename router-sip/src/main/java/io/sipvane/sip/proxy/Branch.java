package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.routing.Destination;
import io.sipvane.sip.stack.TransactionOwner;
import javax.sip.ClientTransaction;
import javax.sip.message.Response;

/**
 * One attempt of a call: the INVITE sent to one destination. Guarded by the owning
 * {@link ProxyCall}'s lock; only {@link #call} and the final fields are read without it.
 * As its client transaction's owner it hands the transaction's events to the call.
 */
public final class Branch implements TransactionOwner {
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
    final String viaBranch;
    /** Set by the port that sends the INVITE; null in the state machine's tests. */
    ClientTransaction transaction;
    /** The listener the INVITE left from; set with {@link #transaction}. */
    ListenAddress listener;
    /** Its key in the transport-error watch while it is watched, else null. */
    String watchKey;
    State state = State.CALLING;
    /** An 18x (or other 1xx above 100) came: the callee was reached, no failover any more. */
    boolean reached;
    /** A BYE was sent for a late 2xx of this branch. */
    boolean byeSent;
    /** This branch carries credentials: a further challenge or a 403 is a failure. */
    boolean authenticated;
    Scheduler.Timer timer;

    Branch(ProxyCall call, Destination destination, String viaBranch) {
        this.call = call;
        this.destination = destination;
        this.viaBranch = viaBranch;
    }

    public Destination destination() {
        return destination;
    }

    public String viaBranch() {
        return viaBranch;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Whether the branch is over from the call's point of view; later messages are cleanup only. */
    boolean isStale() {
        return state == State.ABANDONED || state == State.CANCELLED;
    }

    @Override
    public void onResponse(Response response) {
        call.onResponse(this, response);
    }

    @Override
    public void onTimeout() {
        call.onTransportError(this, "transaction timeout");
    }

    @Override
    public void onTransportError(String what) {
        call.onTransportError(this, what);
    }

    @Override
    public String toString() {
        return "Branch[" + destination.id() + " " + state + "]";
    }
}
