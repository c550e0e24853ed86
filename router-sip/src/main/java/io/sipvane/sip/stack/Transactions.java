package io.sipvane.sip.stack;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Server transactions and answers to requests, as every request handler needs them. */
public final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    private Transactions() {}

    /** The event's server transaction, a new one, or null when a retransmission raced us to it. */
    public static ServerTransaction serverTransaction(RequestEvent event) throws SipException {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null; // the first copy owns the transaction; nothing is wrong
        }
    }

    /** Answers through the request's server transaction (made if needed); nothing when a retransmission owns it. */
    public static void respond(RequestEvent event, Response response) throws SipException, javax.sip.InvalidArgumentException {
        ServerTransaction st = serverTransaction(event);
        if (st != null) {
            st.sendResponse(response);
        }
    }

    /** Answers without a transaction (once, no retransmission); failures are only logged. */
    public static void respondStateless(SipProvider provider, Response response) {
        try {
            provider.sendResponse(response);
        } catch (RuntimeException | SipException e) {
            LOG.debug("could not answer {}: {}", response.getStatusCode(), e.toString());
        }
    }

    /** CANCELs the INVITE of {@code invite} (RFC 3261 9.1); its answer needs nothing done. */
    public static void cancel(ClientTransaction invite, SipProvider provider) {
        try {
            ClientTransaction ct = provider.getNewClientTransaction(invite.createCancel());
            ct.setApplicationData(TransactionOwner.IGNORE);
            ct.sendRequest();
        } catch (SipException | RuntimeException e) {
            LOG.debug("CANCEL not sent: {}", e.toString());
        }
    }

    /** Whether a request is an ACK (never answered). */
    public static boolean isAck(Request request) {
        return Request.ACK.equals(request.getMethod());
    }
}
