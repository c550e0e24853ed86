package io.sipvane.sip.stack;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateless fast path: relays the messages that need no transaction before the stack's
 * transaction layer sees them (in-dialog ACK for 2xx, non-INVITE between UDP legs, and the
 * responses to them), through a {@link StatelessPath}.
 *
 * <p>Implementation note: past the valve, a request gets a server transaction object and an
 * event, and a response with no client transaction is matched against every client
 * transaction in the stack, one by one (at 2,000 calls/s that linear scan was a third of the
 * worker threads' CPU). Here each costs one map lookup, and a response that matches no
 * transaction goes to the path's {@link StatelessPath#stray} without the scan. An ACK that
 * belongs to one of our INVITE server transactions (the ACK for a non-2xx final response)
 * goes on to it. Anything
 * the path cannot relay, or that fails here, takes the normal path, where the listener
 * answers it.
 *
 * <p>Installed by {@link ProxyStack} into the stack's valve list before any listener exists,
 * and given its path once the providers it sends through are made; until then every message
 * goes on to the stack, which drops it with no listener. No static state.
 */
final class StatelessRelayValve implements SIPMessageValve {
    private static final Logger LOG = LoggerFactory.getLogger(StatelessRelayValve.class);

    private final SIPTransactionStack stack;
    /** Set once, before the stack starts delivering events; null until then. */
    private volatile StatelessPath path;

    StatelessRelayValve(SIPTransactionStack stack) {
        this.stack = stack;
    }

    void use(StatelessPath path) {
        this.path = path;
    }

    @Override
    public void init(SipStack sipStack) {
        // built with its collaborators
    }

    @Override
    public void destroy() {
        // nothing held beyond the stack's own lifetime
    }

    /** @return false when the request was relayed here (the stack drops it), true to go on */
    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        StatelessPath path = this.path;
        if (path == null || Request.ACK.equals(request.getMethod()) && stack.findTransaction(request.getTransactionId(), true) != null) {
            return true;
        }
        try {
            return !path.relay(request);
        } catch (Exception e) {
            LOG.debug("{} left to the stack: {}", request.getMethod(), e.toString());
            return true;
        }
    }

    /** @return false when the response was relayed here, true to go on */
    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        StatelessPath path = this.path;
        if (path == null) {
            return true;
        }
        try {
            if (path.relay(response)) {
                return false;
            }
            if (response instanceof SIPResponse r && stack.findTransaction(r.getTransactionId(), false) == null) {
                // past the valve the stack would compare it with every client transaction before
                // giving up (tens of thousands at 2,000 calls/s): under overload, when 2xx
                // retransmissions outlive their transactions, that scan alone collapsed 3,000 calls/s
                path.stray(response);
                return false;
            }
            return true;
        } catch (Exception e) {
            LOG.debug("response {} not relayed: {}", response.getStatusCode(), e.toString());
            return false; // it has no transaction: nothing else would relay it either
        }
    }
}
