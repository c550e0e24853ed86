package io.sipvane.sip.dialog;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.message.Outbound;
import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.Transactions;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays in-dialog requests without transactions (RFC 3261 16.11) when they can go so: an ACK
 * for a 2xx (always end to end), or a non-INVITE request from UDP to UDP; and the responses
 * to them, and 2xx retransmissions, upstream.
 *
 * <p>Why: on UDP both endpoints already run the transaction (retransmissions, Timer F, the
 * answer), so a relay adds nothing but a server and a client transaction per BYE, each kept
 * 5-7 s to absorb retransmissions, and their messages encoded and parsed again on release.
 * Measured at 2,000 calls/s that was about a fifth of the proxy's CPU, and more than half of
 * the transactions it held at any time. A retransmission from the caller is relayed like the
 * first copy, with the same branch (ours is derived from the caller's), so the callee's
 * transaction absorbs it.
 */
public final class StatelessRelay {
    private static final Logger LOG = LoggerFactory.getLogger(StatelessRelay.class);

    private final SipMessages messages;
    private final RouteSet routes;
    private final Outbound outbound;
    private final BranchIds branchIds;
    private final InDialogGate gate;
    private final AcceptedInvites accepted;

    public StatelessRelay(SipMessages messages, RouteSet routes, Outbound outbound, BranchIds branchIds, InDialogGate gate,
                          AcceptedInvites accepted) {
        this.accepted = accepted;
        this.messages = messages;
        this.routes = routes;
        this.outbound = outbound;
        this.branchIds = branchIds;
        this.gate = gate;
    }

    /**
     * Relays {@code request} statelessly if it can go so; false when it has to go statefully:
     * a re-INVITE (it can be cancelled), another transport on either side, a caller without
     * an RFC 3261 branch, or a request outside a dialog. An in-dialog request the
     * {@link InDialogGate} does not admit is refused here (404, an ACK dropped), statelessly.
     * True when the request was relayed (or refused) here and the stack must drop it.
     */
    public boolean relay(Request request) {
        String method = request.getMethod();
        boolean ack = Request.ACK.equals(method);
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if ((to == null || to.getTag() == null) && Request.INVITE.equals(method)) {
            // RFC 6026: a retransmission of an INVITE already answered with a 2xx ends here
            if (accepted.absorbs(request)) {
                LOG.debug("absorbed an INVITE retransmitted after its 2xx: {}", request.getHeader(CallIdHeader.NAME));
                return true;
            }
            return false;
        }
        if (to == null || to.getTag() == null || top == null || Request.CANCEL.equals(method)) {
            return false;
        }
        Transport inbound = SipMessages.parseTransport(top.getTransport());
        if (!gate.admits(request)) {
            refuse(ack, request, outbound.arrival(request, inbound), Response.NOT_FOUND);
            return true;
        }
        if (!ack && Request.INVITE.equals(method)) {
            return false;
        }
        String branch = top.getBranch();
        boolean rfc3261 = BranchIds.isRfc3261(branch);
        if (!ack && (inbound != Transport.UDP || !rfc3261)) {
            return false;
        }
        URI next = routes.nextHop(request);
        Transport transport = SipMessages.transportOf(next);
        if (!ack && transport != Transport.UDP) {
            return false;
        }
        ListenAddress arrival = outbound.arrival(request, inbound);
        if (SipMessages.downgrades(request, transport)) {
            refuse(ack, request, arrival, Response.FORBIDDEN);
            return true;
        }
        if (SipMessages.maxForwardsSpent(request)) {
            refuse(ack, request, arrival, Response.TOO_MANY_HOPS);
            return true;
        }
        if (routes.isOwn(next)) {
            // addressed to us with nowhere further to go: forwarding would loop back here
            refuse(ack, request, arrival, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return true;
        }
        ListenAddress out = outbound.toward(next, transport, arrival);
        SipProvider via = outbound.provider(out);
        if (via == null) {
            refuse(ack, request, arrival, Response.SERVICE_UNAVAILABLE);
            return true;
        }
        // changed in place, not copied: the stack has encoded what it received already (its
        // log and the message taps run before this), and nothing reads the request after
        // this but a refusal, which answers from the Vias the request came with
        routes.removeOwnRoutes(request);
        messages.forwardMaxForwards(request);
        messages.addVia(request, out, rfc3261 ? BranchIds.stateless(branch) : branchIds.next());
        try {
            via.sendRequest(request);
        } catch (SipException e) {
            LOG.debug("in-dialog {} not relayed: {}", method, e.toString());
            request.removeFirst(ViaHeader.NAME);
            refuse(ack, request, arrival, Response.SERVICE_UNAVAILABLE);
        }
        return true;
    }

    /** Answers a request we do not relay, once and without a transaction; an ACK is never answered. */
    void refuse(boolean ack, Request request, ListenAddress arrival, int code) {
        SipProvider provider = outbound.provider(arrival);
        if (!ack && provider != null) {
            Transactions.respondStateless(provider, messages.statelessResponse(code, request, null));
        }
    }

    /**
     * Relays upstream a response to a request we relayed statelessly; false for any other
     * response (it belongs to a transaction, or to the stray-response handling).
     */
    public boolean relay(Response response) throws SipException {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !BranchIds.isStateless(top.getBranch())) {
            return false;
        }
        // sent on as it came, less our Via, not copied: the stack has logged and tapped it
        // already, and no transaction holds it (the stack drops it once we have relayed it)
        response.removeFirst(ViaHeader.NAME);
        sendUpstream(response);
        return true;
    }

    /** A 2xx to {@code invite} went upstream: absorb its retransmissions from now on (RFC 6026). */
    public void accepted(Request invite) {
        accepted.accepted(invite);
    }

    /**
     * Relays upstream, without a transaction, a copy of a response that a transaction may
     * still read (a further 2xx, a stray one): pops our Via, sends to the next one.
     */
    public void forward(Response response) throws SipException {
        Response out = (Response) response.clone();
        out.removeFirst(ViaHeader.NAME);
        sendUpstream(out);
    }

    /** Sends {@code out}, our Via already gone, to the address its top Via names. */
    private void sendUpstream(Response out) throws SipException {
        ViaHeader next = (ViaHeader) out.getHeader(ViaHeader.NAME);
        if (next == null) {
            return;
        }
        String host = next.getReceived() != null ? next.getReceived() : next.getHost();
        SipProvider provider = outbound.provider(outbound.toward(host, SipMessages.parseTransport(next.getTransport()), null));
        if (provider != null) {
            provider.sendResponse(out);
        }
    }
}
