package io.sipvane.sip.proxy;

import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.Transactions;
import javax.sip.RequestEvent;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Requests outside a dialog that are not new calls, answered statelessly and never forwarded:
 * 403 from a source outside {@code sip.allow_from}; an OPTIONS for the router itself gets 200
 * with Allow (RFC 3261 11, even at Max-Forwards 0, 16.3); BYE, UPDATE, INFO and PRACK without a
 * dialog get 481; anything else 483 when its hops are spent, else 405 with Allow.
 */
final class OutOfDialog {
    private final SipMessages messages;
    private final RouteSet routes;

    OutOfDialog(SipMessages messages, RouteSet routes) {
        this.messages = messages;
        this.routes = routes;
    }

    void handle(RequestEvent event, boolean allowed) {
        Request request = event.getRequest();
        int code = allowed ? code(request) : Response.FORBIDDEN;
        Transactions.respondStateless((SipProvider) event.getSource(), messages.statelessResponse(code, request, null));
    }

    private int code(Request request) {
        return switch (request.getMethod()) {
            case Request.OPTIONS -> routes.isOwn(request.getRequestURI()) ? Response.OK : refusal(request);
            case Request.BYE, Request.UPDATE, Request.INFO, Request.PRACK -> Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
            default -> refusal(request);
        };
    }

    private static int refusal(Request request) {
        return SipMessages.maxForwardsSpent(request) ? Response.TOO_MANY_HOPS : Response.METHOD_NOT_ALLOWED;
    }
}
