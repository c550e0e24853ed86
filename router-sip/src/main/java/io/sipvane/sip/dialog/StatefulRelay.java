package io.sipvane.sip.dialog;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.message.Outbound;
import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.TransactionOwner;
import io.sipvane.sip.stack.TransportErrors;
import io.sipvane.sip.stack.Transactions;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transaction-stateful loose-routed relay of an in-dialog request that cannot go statelessly
 * ({@link StatelessRelay}): a re-INVITE (a CANCEL can reach it), or a request to or from TCP
 * or TLS. Each relay owns its client transaction and answers its server transaction.
 */
public final class StatefulRelay {
    private static final Logger LOG = LoggerFactory.getLogger(StatefulRelay.class);
    /** T1 for completed non-INVITE server transactions over UDP; see {@link #shortenLinger}. */
    static final int LINGER_T1_MS = 100;

    private final SipMessages messages;
    private final RouteSet routes;
    private final Outbound outbound;
    private final BranchIds branchIds;
    private final Cancellables cancellables;
    private final InDialogGate gate;
    private final TransportErrors transportErrors;
    private final Executor connector;

    public StatefulRelay(SipMessages messages, RouteSet routes, Outbound outbound, BranchIds branchIds,
                         Cancellables cancellables, InDialogGate gate, TransportErrors transportErrors, Executor connector) {
        this.transportErrors = transportErrors;
        this.connector = connector;
        this.messages = messages;
        this.routes = routes;
        this.outbound = outbound;
        this.branchIds = branchIds;
        this.cancellables = cancellables;
        this.gate = gate;
    }

    public void relay(RequestEvent event) throws SipException, InvalidArgumentException {
        Request request = event.getRequest();
        if (!gate.admits(request)) {
            // not a dialog of ours: refused once, without a transaction, and never forwarded
            if (!Request.ACK.equals(request.getMethod())) {
                Transactions.respondStateless((SipProvider) event.getSource(),
                        messages.statelessResponse(Response.NOT_FOUND, request, null));
            }
            return;
        }
        ServerTransaction st = Transactions.serverTransaction(event);
        if (st == null) {
            return;
        }
        if (SipMessages.maxForwardsSpent(request)) {
            st.sendResponse(messages.response(Response.TOO_MANY_HOPS, request));
            return;
        }
        shortenLinger(st, request);
        Request out = (Request) request.clone();
        routes.removeOwnRoutes(out);
        messages.forwardMaxForwards(out);
        URI next = routes.nextHop(out);
        if (out.getHeader(RouteHeader.NAME) == null && routes.isOwn(out.getRequestURI())) {
            // addressed to us with nowhere further to go: forwarding would loop back here
            st.sendResponse(messages.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            return;
        }
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        ListenAddress arrival = outbound.arrival(request, SipMessages.parseTransport(top.getTransport()));
        Transport transport = SipMessages.transportOf(next);
        if (SipMessages.downgrades(request, transport)) {
            st.sendResponse(messages.response(Response.FORBIDDEN, request));
            return;
        }
        ListenAddress leaving = outbound.toward(next, transport, arrival);
        SipProvider via = outbound.provider(leaving);
        if (via == null) {
            st.sendResponse(messages.response(Response.SERVICE_UNAVAILABLE, request));
            return;
        }
        messages.addVia(out, leaving, branchIds.next());
        String key = Request.INVITE.equals(request.getMethod()) ? Cancellables.key(request) : null;
        ClientTransaction ct;
        try {
            ct = via.getNewClientTransaction(out);
        } catch (SipException e) {
            LOG.debug("in-dialog {} not sent: {}", request.getMethod(), e.toString());
            st.sendResponse(messages.response(Response.SERVICE_UNAVAILABLE, request));
            return;
        }
        Relay relay = new Relay(st, ct, via, key);
        ct.setApplicationData(relay);
        if (key != null) {
            cancellables.addReinvite(key, relay); // a re-INVITE can be cancelled too
        }
        if (next instanceof javax.sip.address.SipURI hop) {
            relay.watchKey = transportErrors.watch(transport.token(), hop.getHost(),
                    hop.getPort() > 0 ? hop.getPort() : transport == Transport.TLS ? 5061 : 5060, relay);
        }
        if (transport == Transport.UDP) {
            relay.send();
        } else {
            connector.execute(relay::send); // a connect may block: never on a listener thread
        }
    }

    /**
     * A completed non-INVITE server transaction over UDP lingers 64*T1 (Timer J, 32 s) only to
     * absorb retransmissions of the request. The peer retransmits at most T2 (4 s) apart, so
     * T1 = 100 ms (J = 6.4 s) still catches one, and BYE transactions stop piling up under load.
     */
    private static void shortenLinger(ServerTransaction st, Request request) {
        if (Request.INVITE.equals(request.getMethod())) {
            return; // T1 also paces the INVITE's response retransmissions: keep the default
        }
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via != null && "UDP".equalsIgnoreCase(via.getTransport())) {
            try {
                st.setRetransmitTimer(LINGER_T1_MS);
            } catch (RuntimeException e) {
                LOG.debug("cannot shorten Timer J: {}", e.toString());
            }
        }
    }

    /** Relays the responses of one in-dialog request back to its server transaction. */
    private final class Relay implements TransactionOwner, Cancellables.Target {
        private final ServerTransaction upstream;
        private final ClientTransaction downstream;
        private final SipProvider provider;
        /** For a re-INVITE, its key in the cancellables; else null. */
        private final String cancelKey;
        /** Its key in the transport-error watch, or null. */
        private volatile String watchKey;

        Relay(ServerTransaction upstream, ClientTransaction downstream, SipProvider provider, String cancelKey) {
            this.upstream = upstream;
            this.downstream = downstream;
            this.provider = provider;
            this.cancelKey = cancelKey;
        }

        @Override
        public void onResponse(Response response) throws SipException, InvalidArgumentException {
            if (response.getStatusCode() == Response.TRYING) {
                return; // hop by hop: our server transaction sends its own
            }
            if (response.getStatusCode() >= 200) {
                forget();
            }
            Response out = (Response) response.clone();
            out.removeFirst(ViaHeader.NAME);
            upstream.sendResponse(out);
        }

        void send() {
            try {
                downstream.sendRequest();
            } catch (SipException | RuntimeException e) {
                onTransportError(e.toString());
            }
        }

        @Override
        public void onTimeout() {
            fail(Response.REQUEST_TIMEOUT);
        }

        /** The request could not reach the next hop: the sender gets 503 and the relay is released. */
        @Override
        public void onTransportError(String what) {
            LOG.debug("in-dialog {} failed: {}", upstream.getRequest().getMethod(), what);
            fail(Response.SERVICE_UNAVAILABLE);
        }

        private void fail(int code) {
            forget();
            try {
                upstream.sendResponse(messages.response(code, upstream.getRequest()));
            } catch (SipException | InvalidArgumentException | RuntimeException e) {
                LOG.debug("could not fail in-dialog {}: {}", upstream.getRequest().getMethod(), e.toString());
            }
        }

        /** The caller CANCELled the re-INVITE: the callee's 487 comes back through this relay. */
        @Override
        public void onCancel() {
            Transactions.cancel(downstream, provider);
        }

        private void forget() {
            if (cancelKey != null) {
                cancellables.remove(cancelKey);
            }
            transportErrors.forget(watchKey, this);
        }
    }
}
