package io.sipvane.sip.proxy;

import io.sipvane.sip.dialog.Cancellables;
import io.sipvane.sip.dialog.StatefulRelay;
import io.sipvane.sip.dialog.StatelessRelay;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.TransactionOwner;
import io.sipvane.sip.stack.TransportErrors;
import io.sipvane.sip.stack.Transactions;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP listener of the proxy: hands each event to the handler that owns it. Requests
 * by kind (in-dialog, CANCEL, new INVITE, anything else); responses and timeouts to the
 * {@link TransactionOwner} of their client transaction, or to {@link StrayResponses} when
 * none matches; transport errors to the branch sent to that peer.
 *
 * <p>Implementation note: the stack calls this listener concurrently (reentrant listener, 2
 * threads). Nothing here blocks or takes a lock except a call's own monitor. No exception
 * escapes: each event is wrapped, logged, and answered with 400/500 where a response is
 * still possible.
 */
final class ProxyListener implements SipListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyListener.class);

    private final SipMessages messages;
    private final SourceAcl acl;
    private final StatelessRelay statelessRelay;
    private final StatefulRelay statefulRelay;
    private final Cancellables cancellables;
    private final InviteHandler invites;
    private final OutOfDialog outOfDialog;
    private final StrayResponses strays;
    private final TransportErrors transportErrors;

    ProxyListener(SipMessages messages, SourceAcl acl, StatelessRelay statelessRelay, StatefulRelay statefulRelay,
                  Cancellables cancellables, InviteHandler invites, OutOfDialog outOfDialog, StrayResponses strays,
                  TransportErrors transportErrors) {
        this.messages = messages;
        this.acl = acl;
        this.statelessRelay = statelessRelay;
        this.statefulRelay = statefulRelay;
        this.cancellables = cancellables;
        this.invites = invites;
        this.outOfDialog = outOfDialog;
        this.strays = strays;
        this.transportErrors = transportErrors;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            dispatch(event, request);
        } catch (TransactionUnavailableException e) {
            // the stack refused the request as malformed (missing Max-Forwards, bad Via, ...)
            LOG.debug("bad {} request: {}", request.getMethod(), e.toString());
            answerStateless(event, request, Response.BAD_REQUEST);
        } catch (SipException | InvalidArgumentException e) {
            // mostly peers we cannot answer (unresolvable Via host, closed connection)
            LOG.debug("{} not handled: {}", request.getMethod(), e.toString());
        } catch (RuntimeException e) {
            LOG.warn("{} request failed: {}", request.getMethod(), e.toString());
            LOG.debug("stack trace", e);
            answerStateless(event, request, Response.SERVER_INTERNAL_ERROR);
        }
    }

    private void dispatch(RequestEvent event, Request request) throws SipException, InvalidArgumentException {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        boolean inDialog = to != null && to.getTag() != null;
        if (inDialog && statelessRelay.relay(request)) {
            return; // normally done by the valve before the transaction layer
        }
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return; // an ACK for our non-2xx final response is absorbed by its transaction
        }
        if (Request.CANCEL.equals(method)) {
            cancel(event, request);
        } else if (inDialog) {
            statefulRelay.relay(event);
        } else if (Request.INVITE.equals(method)) {
            invites.handle(event);
        } else {
            outOfDialog.handle(event, acl.allows(event));
        }
    }

    /**
     * A CANCEL is answered 200 by us (hop by hop) and stops its INVITE; one that matches
     * nothing (481) or comes from outside {@code sip.allow_from} (403) is refused statelessly.
     */
    private void cancel(RequestEvent event, Request cancel) throws SipException, InvalidArgumentException {
        Cancellables.Target target = acl.allows(event) ? cancellables.find(cancel) : null;
        if (target == null) {
            answerStateless(event, cancel, acl.allows(event) ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.FORBIDDEN);
            return;
        }
        ServerTransaction st = Transactions.serverTransaction(event);
        if (st == null) {
            return;
        }
        st.sendResponse(messages.response(Response.OK, cancel));
        target.onCancel();
    }

    private void answerStateless(RequestEvent event, Request request, int code) {
        if (!Transactions.isAck(request)) {
            try {
                Transactions.respondStateless((SipProvider) event.getSource(), messages.statelessResponse(code, request, null));
            } catch (RuntimeException e) {
                LOG.debug("could not answer {} {}: {}", request.getMethod(), code, e.toString());
            }
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        try {
            ClientTransaction ct = event.getClientTransaction();
            if (ct != null && ct.getApplicationData() instanceof TransactionOwner owner) {
                owner.onResponse(response);
            } else if (ct == null) {
                strays.handle(response);
            }
        } catch (SipException e) {
            // the next hop cannot be reached: the connect failure has its own (rate-limited) line
            LOG.debug("response {} not relayed: {}", response.getStatusCode(), e.toString());
        } catch (Exception e) {
            LOG.warn("response {} failed: {}", response.getStatusCode(), e.toString());
            LOG.debug("stack trace", e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        try {
            if (!event.isServerTransaction()
                    && event.getClientTransaction().getApplicationData() instanceof TransactionOwner owner) {
                owner.onTimeout();
            }
        } catch (RuntimeException e) {
            LOG.warn("timeout handling failed: {}", e.toString());
            LOG.debug("stack trace", e);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        try {
            LOG.debug("I/O error towards {}:{}:{}", event.getTransport(), event.getHost(), event.getPort());
            TransactionOwner owner = transportErrors.find(event.getTransport(), event.getHost(), event.getPort());
            if (owner != null) {
                owner.onTransportError("I/O error towards " + event.getHost() + ":" + event.getPort());
            }
        } catch (RuntimeException e) {
            LOG.warn("I/O error handling failed: {}", e.toString());
            LOG.debug("stack trace", e);
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing: calls end on their final response, not on transaction cleanup
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // dialog support is off
    }
}
