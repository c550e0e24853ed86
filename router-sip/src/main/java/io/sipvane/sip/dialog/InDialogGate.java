package io.sipvane.sip.dialog;

import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.RouteToken;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/**
 * Which in-dialog requests (those with a To-tag) the router relays: only those whose top
 * Route is one of our Record-Route entries, with a token signed for the request's Call-ID and
 * dialog tag (Kamailio's default config does {@code has_totag()} + {@code loose_route()}).
 * Anything else is refused and never forwarded, whatever its Request-URI: no open relay, and
 * a forged Route naming us without a valid token is refused too. An ACK for our own non-2xx
 * final response never gets here: its server transaction absorbs it.
 */
public final class InDialogGate {
    private final RouteSet routes;
    private final RouteToken tokens;

    public InDialogGate(RouteSet routes, RouteToken tokens) {
        this.routes = routes;
        this.tokens = tokens;
    }

    public boolean admits(Request request) {
        RouteHeader top = (RouteHeader) request.getHeader(RouteHeader.NAME);
        if (top == null) {
            return false;
        }
        URI uri = top.getAddress().getURI();
        if (!(uri instanceof SipURI sip) || !routes.isOwn(uri)) {
            return false;
        }
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return callId != null && tokens.verify(sip.getParameter(RouteToken.PARAMETER), callId.getCallId(),
                from == null ? null : from.getTag(), to == null ? null : to.getTag());
    }
}
