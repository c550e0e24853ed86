package io.sipvane.sip.stack;

import javax.sip.message.Request;
import javax.sip.message.Response;

/** What {@link StatelessRelayValve} hands messages to before the transaction layer. */
public interface StatelessPath {
    /** True when the request was relayed (or refused) here and the stack must drop it. */
    boolean relay(Request request) throws Exception;

    /** True when the response was relayed here and the stack must drop it. */
    boolean relay(Response response) throws Exception;
}
