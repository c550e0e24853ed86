package io.sipvane.sip.stack;

import javax.sip.message.Request;
import javax.sip.message.Response;

/** What {@link StatelessRelayValve} hands messages to before the transaction layer. */
public interface StatelessPath {
    /** True when the request was relayed (or refused) here and the stack must drop it. */
    boolean relay(Request request) throws Exception;

    /** True when the response was relayed here and the stack must drop it. */
    boolean relay(Response response) throws Exception;

    /**
     * A response that matches no transaction of the stack (the valve has looked it up): a late
     * or retransmitted 2xx, or a response to a transaction that has ended. Handled here; the
     * stack never sees it.
     */
    void stray(Response response) throws Exception;
}
