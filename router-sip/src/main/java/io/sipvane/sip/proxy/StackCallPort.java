package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Transport;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.uri.SipUri;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.Transactions;
import java.text.ParseException;
import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
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
        shared.routes.removeOwnRoutes(request);
        SipMessages.decrementMaxForwards(request);
        // Record-Route: the callee-facing entry on top; a second, caller-facing one when the legs differ
        if (!out.equals(arrival)) {
            request.addFirst(shared.messages.recordRoute(arrival));
        }
        request.addFirst(shared.messages.recordRoute(out));
        shared.messages.addVia(request, out, branch.viaBranch);
        if (authorization != null) {
            request.setHeader(authorization);
        }
        ClientTransaction ct = provider.getNewClientTransaction(request);
        ct.setApplicationData(branch);
        branch.transaction = ct;
        branch.listener = out;
        if (watched != null) {
            shared.transportErrors.forget(watched);
        }
        watched = branch;
        shared.transportErrors.watch(branch);
        ct.sendRequest();
    }

    @Override
    public CompletableFuture<?> resolve(Destination destination) {
        return shared.dns.resolve(destination.target().bareHost());
    }

    @Override
    public Header answer(Branch challenged, Response challenge) {
        OriginationUri uri = challenged.destination.source();
        try {
            return shared.authorizer.authorization(challenge, uri.username(), uri.password(), requestUri(challenged.destination));
        } catch (ParseException | RuntimeException e) {
            LOG.debug("cannot answer the challenge of {}: {}", challenged.destination, e.getMessage());
            return null;
        }
    }

    @Override
    public void relay(Response response) {
        Response out = (Response) response.clone();
        out.removeFirst(ViaHeader.NAME);
        sendUpstream(out);
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

    @Override
    public void abandon(Branch branch) {
        shared.late.remember(branch);
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
            shared.transportErrors.forget(watched);
        }
    }

    private void sendUpstream(Response response) {
        try {
            upstream.sendResponse(response);
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.debug("could not send {} upstream: {}", response.getStatusCode(), e.toString());
        }
    }

    /** The Request-URI of a branch: the destination, with the called user when the URI names none. */
    private SipURI requestUri(Destination destination) throws ParseException {
        SipUri target = destination.target();
        String user = target.user();
        if (user == null && original.getRequestURI() instanceof SipURI called) {
            user = called.getUser();
        }
        SipURI uri = shared.messages.addresses().createSipURI(user, target.host());
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
