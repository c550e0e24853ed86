package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.TransactionOwner;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a dialog that a 2xx opened with a callee nobody wants any more (the caller cancelled,
 * or another branch already answered): an ACK for the 2xx, then once a BYE, both built from
 * the 2xx (its Contact, the Record-Route entries below ours, CSeq) as the caller would.
 */
final class DialogCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(DialogCleanup.class);

    private final SipMessages messages;
    private final RouteSet routes;
    private final BranchIds branchIds;

    DialogCleanup(SipMessages messages, RouteSet routes, BranchIds branchIds) {
        this.messages = messages;
        this.routes = routes;
        this.branchIds = branchIds;
    }

    /**
     * @param forwardedUri the Request-URI the branch's INVITE went to (used when the 2xx has no Contact)
     */
    void ackAndBye(Branch branch, Response ok, SipProvider provider, URI forwardedUri) {
        try {
            provider.sendRequest(requestFor2xx(branch, ok, Request.ACK, forwardedUri));
            if (!branch.byeSent) {
                branch.byeSent = true;
                ClientTransaction ct = provider.getNewClientTransaction(requestFor2xx(branch, ok, Request.BYE, forwardedUri));
                ct.setApplicationData(TransactionOwner.IGNORE);
                ct.sendRequest();
            }
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not clean up a late 2xx from {}: {}", branch.destination, e.toString());
        }
    }

    private Request requestFor2xx(Branch branch, Response ok, String method, URI forwardedUri)
            throws ParseException, InvalidArgumentException {
        ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
        URI target = (URI) (contact != null ? contact.getAddress().getURI() : forwardedUri).clone();
        Transport transport = branch.destination.transport();
        List<RouteHeader> routeSet = new ArrayList<>();
        ListIterator<?> rr = ok.getHeaders(RecordRouteHeader.NAME);
        while (rr.hasNext()) {
            RecordRouteHeader h = (RecordRouteHeader) rr.next();
            if (routes.isOwn(h.getAddress().getURI())) {
                break; // entries below ours lead upstream
            }
            routeSet.add(0, messages.headers().createRouteHeader((Address) h.getAddress().clone()));
        }
        if (routeSet.isEmpty() && target instanceof SipURI sip && sip.getTransportParam() == null
                && transport != Transport.UDP) {
            sip.setTransportParam(transport.token());
        }
        CSeqHeader cseq = (CSeqHeader) ok.getHeader(CSeqHeader.NAME);
        long seq = Request.ACK.equals(method) ? cseq.getSeqNumber() : cseq.getSeqNumber() + 1;
        ListenAddress own = branch.listener;
        Request request = messages.messages().createRequest(target, method,
                (CallIdHeader) ok.getHeader(CallIdHeader.NAME),
                messages.headers().createCSeqHeader(seq, method),
                (FromHeader) ok.getHeader(FromHeader.NAME),
                (ToHeader) ok.getHeader(ToHeader.NAME),
                List.of(messages.via(own, branchIds.next())),
                messages.headers().createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
        for (RouteHeader r : routeSet) {
            request.addHeader(r);
        }
        return request;
    }
}
