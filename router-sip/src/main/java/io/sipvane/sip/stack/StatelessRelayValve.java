package io.sipvane.sip.stack;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateless fast path (JAIN-SIP {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}): relays the
 * messages that need no transaction before the stack's transaction layer sees them. In-dialog
 * requests that {@link SipRouter#relayStateless} takes (ACK for 2xx, non-INVITE between UDP
 * legs) and the responses to them ({@link SipRouter#relayStatelessResponse}).
 *
 * <p>Implementation note: past the valve, a request gets a server transaction object and an
 * event, and a response with no client transaction is matched against every client
 * transaction in the stack, one by one (at 2,000 calls/s that linear scan was a third of the
 * worker threads' CPU). Here each costs one map lookup. An ACK that belongs to one of our INVITE
 * server transactions (the ACK for a non-2xx final response) goes on to it. Anything the valve
 * cannot relay, or that fails here, takes the normal path, where the listener answers it.
 *
 * <p>The stack instantiates this class by name, so it finds its router in a static map keyed
 * by stack name; public with a no-arg constructor.
 */
public final class StatelessRelayValve implements SIPMessageValve {
    private static final Logger LOG = LoggerFactory.getLogger(StatelessRelayValve.class);
    private static final ConcurrentHashMap<String, SipRouter> ROUTERS = new ConcurrentHashMap<>();

    private volatile SIPTransactionStack stack;
    private volatile String stackName;

    public StatelessRelayValve() {}

    static void register(String stackName, SipRouter router) {
        ROUTERS.put(stackName, router);
    }

    static void unregister(String stackName) {
        ROUTERS.remove(stackName);
    }

    @Override
    public void init(SipStack sipStack) {
        this.stackName = sipStack.getStackName();
        this.stack = (SIPTransactionStack) sipStack;
    }

    @Override
    public void destroy() {
        // nothing held: the router is looked up by stack name for every message
    }

    /** @return false when the request was relayed here (the stack drops it), true to go on */
    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        SipRouter r = router();
        if (r == null || Request.ACK.equals(request.getMethod()) && stack.findTransaction(request.getTransactionId(), true) != null) {
            return true;
        }
        try {
            return !r.relayStateless(request);
        } catch (SipException | javax.sip.InvalidArgumentException | java.text.ParseException | RuntimeException e) {
            LOG.debug("{} left to the stack: {}", request.getMethod(), e.toString());
            return true;
        }
    }

    /** @return false when the response was relayed here, true to go on */
    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        SipRouter r = router();
        if (r == null) {
            return true;
        }
        try {
            return !r.relayStatelessResponse(response);
        } catch (SipException | RuntimeException e) {
            LOG.debug("response {} not relayed: {}", response.getStatusCode(), e.toString());
            return false; // it has no transaction: nothing else would relay it either
        }
    }

    /**
     * Looked up for every message (one map read), never cached: the stack outlives its stop
     * (the SIP factory keeps every stack it made), and a cached router would keep a stopped
     * server's routing table, metrics and calls reachable for good.
     */
    private SipRouter router() {
        String name = stackName;
        return name == null ? null : ROUTERS.get(name);
    }
}
