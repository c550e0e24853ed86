package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Transport;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.uri.SipUri;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.Transactions;
import io.sipvane.sip.stack.TransportErrors;
import java.text.ParseException;
import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.RouteHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's {@link CallPort} on JAIN-SIP: the caller's server transaction upstream, a client
 * transaction per branch downstream. Called under the call's lock; only sends.
 */
final class StackCallPort implements CallPort {
    private static final Logger LOG = LoggerFactory.getLogger(StackCallPort.class);
    /** How long a non-2xx final answer is repeated to a caller that does not ACK it: T1 * 8. */
    static final long FINAL_ANSWER_LINGER_MS = 4000;

    private final CallPorts shared;
    private final ServerTransaction upstream;
    private final Request original;
    private final ListenAddress arrival;
    private final String cancelKey;
    /** The branch last sent, watched for transport errors until the next one or the end (call's lock). */
    private Branch watched;

    StackCallPort(CallPorts shared, ServerTransaction upstream, Request original, ListenAddress arrival, String cancelKey) {
        this.shared = shared;
        this.upstream = upstream;
        this.original = original;
        this.arrival = arrival;
        this.cancelKey = cancelKey;
    }

    @Override
    public void send(Branch branch, Header authorization) throws SipException {
        Destination destination = branch.destination;
        Transport transport = destination.transport();
        ListenAddress out = shared.outbound.toward(destination.target().host(), transport, arrival);
        SipProvider provider = shared.outbound.provider(out);
        if (provider == null) {
            throw new SipException("no " + transport.token() + " listener to send from");
        }
        Request request = (Request) original.clone();
        try {
            request.setRequestURI(requestUri(destination));
        } catch (ParseException e) {
            throw new SipException("bad destination " + destination, e);
        }
        // the next hop is the destination, never one the caller chose: a preloaded Route either
        // refused the call already or is stripped here (sip.preloaded_route), and ours go too
        request.removeHeader(RouteHeader.NAME);
        shared.messages.forwardMaxForwards(request);
        // Record-Route: the callee-facing entry on top; a second, caller-facing one when the legs
        // differ; both signed so that the dialog's requests can prove they are ours
        String token = shared.tokens.sign(((CallIdHeader) original.getHeader(CallIdHeader.NAME)).getCallId(),
                ((FromHeader) original.getHeader(FromHeader.NAME)).getTag());
        if (!out.equals(arrival)) {
            SipMessages.addOnTop(request, shared.messages.recordRoute(arrival, token));
        }
        SipMessages.addOnTop(request, shared.messages.recordRoute(out, token));
        shared.messages.addVia(request, out, branch.viaBranch);
        if (authorization != null) {
            request.setHeader(authorization);
        }
        ClientTransaction ct = provider.getNewClientTransaction(request);
        ct.setApplicationData(branch);
        branch.transaction = ct;
        branch.listener = out;
        watch(branch);
        if (transport == Transport.UDP) {
            ct.sendRequest();
            return;
        }
        // a TCP or TLS send may first connect, and a black-holed destination holds the thread
        // for the whole connect timeout: never on a listener thread, the timer thread or under
        // this call's lock. A failure comes back as a transport error of the branch.
        shared.connector.execute(() -> {
            try {
                ct.sendRequest();
            } catch (SipException | RuntimeException e) {
                branch.onTransportError("cannot send to " + destination.target() + ": " + TransportErrors.reason(e));
            }
        });
    }

    /** Watches the branch for transport errors under the address it goes to, instead of the last one. */
    private void watch(Branch branch) {
        if (watched != null) {
            shared.transportErrors.forget(watched.watchKey, watched);
        }
        watched = branch;
        Destination d = branch.destination;
        String host = d.target().bareHost();
        java.net.InetAddress address = d.target().hostIsIpLiteral() ? null : shared.dns.cached(host);
        branch.watchKey = shared.transportErrors.watch(d.transport().token(),
                address == null ? host : address.getHostAddress(), d.port(), branch);
    }

    @Override
    public CompletableFuture<?> resolve(Destination destination) {
        return shared.dns.resolve(destination.target().bareHost());
    }

    @Override
    public Header answer(Branch challenged, Response challenge) {
        OriginationUri uri = challenged.destination.source();
        if (!fromDestination(challenged.destination, challenge)) {
            // credentials go only to the address the attempt was sent to, never to a hop between
            LOG.debug("challenge for {} came from another address: not answered", challenged.destination);
            return null;
        }
        try {
            return shared.authorizer.authorization(challenge, uri.username(), uri.password(), requestUri(challenged.destination));
        } catch (ParseException | RuntimeException e) {
            LOG.debug("cannot answer the challenge of {}: {}", challenged.destination, e.getMessage());
            return null;
        }
    }

    @Override
    public void relay(Response response) {
        // sent on as it came, less our Via, not copied: the stack has logged and tapped it
        // already, and its client transaction reads no more of a 1xx or 2xx than the To tag
        response.removeFirst(ViaHeader.NAME);
        sendUpstream(response);
    }

    @Override
    public void relayAnother2xx(Response response) {
        try {
            shared.statelessRelay.forward(response);
        } catch (SipException | RuntimeException e) {
            LOG.debug("could not relay a further 2xx: {}", e.toString());
        }
    }

    @Override
    public void relayFinal(Response best, int code) {
        Response out = (Response) best.clone();
        out.removeFirst(ViaHeader.NAME);
        out.removeHeader(RecordRouteHeader.NAME);
        if (code != out.getStatusCode()) {
            try {
                out.setStatusCode(code);
                out.setReasonPhrase("Server Internal Error");
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
        sendUpstream(out);
    }

    @Override
    public void respond(int code) {
        sendUpstream(shared.messages.response(code, original));
    }

    @Override
    public void cancel(Branch branch) {
        shared.late.remember(branch);
        if (branch.transaction != null) {
            Transactions.cancel(branch.transaction, shared.outbound.provider(branch.listener));
        }
    }

    /** Ends the branch's client transaction: no more retransmissions to a destination we left (RFC 3261 16.8). */
    @Override
    public void abandon(Branch branch) {
        shared.late.remember(branch);
        if (branch.transaction != null) {
            try {
                branch.transaction.terminate();
            } catch (javax.sip.ObjectInUseException | RuntimeException e) {
                LOG.debug("cannot end the transaction towards {}: {}", branch.destination, e.toString());
            }
        }
    }

    @Override
    public void ackAndBye(Branch branch, Response ok) {
        try {
            shared.cleanup.ackAndBye(branch, ok, shared.outbound.provider(branch.listener), requestUri(branch.destination));
        } catch (ParseException e) {
            LOG.debug("cannot end the dialog of {}: {}", branch.destination, e.toString());
        }
    }

    @Override
    public void ended() {
        shared.cancellables.remove(cancelKey);
        if (watched != null) {
            shared.transportErrors.forget(watched.watchKey, watched);
        }
    }

    /** Whether {@code response} came from the destination's own address and port. */
    private boolean fromDestination(Destination destination, Response response) {
        if (!(response instanceof gov.nist.javax.sip.message.SIPMessage m) || m.getRemoteAddress() == null) {
            return false;
        }
        String host = destination.target().bareHost();
        java.net.InetAddress expected;
        try {
            expected = destination.target().hostIsIpLiteral() ? java.net.InetAddress.getByName(host) : shared.dns.cached(host);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return m.getRemoteAddress().equals(expected) && m.getRemotePort() == destination.port();
    }

    private void sendUpstream(Response response) {
        try {
            upstream.sendResponse(response);
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.debug("could not send {} upstream: {}", response.getStatusCode(), e.toString());
            return;
        }
        int code = response.getStatusCode();
        if (code >= 200 && code < 300) {
            shared.statelessRelay.accepted(original);
        } else if (code >= 300) {
            // a caller that never ACKs (a scanner, a spoofed source) would get this answer
            // again for 32 s (Timer H); after three repeats the transaction ends, as Kamailio's
            // wait timer does: at most five packets per INVITE, 100 Trying included
            shared.timers.schedule(this::endUpstream, FINAL_ANSWER_LINGER_MS);
        }
    }

    private void endUpstream() {
        try {
            upstream.terminate();
        } catch (javax.sip.ObjectInUseException | RuntimeException e) {
            LOG.debug("cannot end the caller's transaction: {}", e.toString());
        }
    }

    /** The Request-URI of a branch: the destination, with the called user when the URI names none. */
    private SipURI requestUri(Destination destination) throws ParseException {
        SipUri target = destination.target();
        String user = target.user();
        if (user == null && original.getRequestURI() instanceof SipURI called) {
            user = called.getUser();
        }
        SipURI uri = shared.messages.sipUri(user, target.host());
        if (target.port() != 0) {
            uri.setPort(target.port());
        }
        uri.setSecure(target.secure());
        if (target.transport() != null || destination.transport() != Transport.UDP && !target.secure()) {
            uri.setTransportParam(destination.transport().token());
        }
        return uri;
    }
}
