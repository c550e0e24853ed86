package io.sipvane.sip.proxy;

import io.sipvane.core.config.SipSettings.PreloadedRoute;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.sip.dialog.Cancellables;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.SipMessages;
import java.util.List;
import java.util.ListIterator;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The checks a new INVITE passes before it is routed, in order; the first that refuses
 * answers it, statelessly: source ACL (403), a Request-URI we cannot route (416), a loop
 * through us (482, RFC 3261 16.3 step 4), Max-Forwards spent (483), a preloaded Route naming
 * another hop (403 "Preload Route denied", unless {@code sip.preloaded_route: strip}), drain
 * or overload (503 with Retry-After).
 */
final class Admission {
    /** A refusal: the code and its reason phrase (null: the standard one). */
    record Refusal(int code, String reason) {}

    /** One check: why the INVITE is refused, or null to let it through. */
    interface Check {
        Refusal refuse(RequestEvent event, RoutingSnapshot snapshot);
    }

    private static final Refusal FORBIDDEN = new Refusal(Response.FORBIDDEN, null);
    private static final Refusal UNSUPPORTED_SCHEME = new Refusal(Response.UNSUPPORTED_URI_SCHEME, null);
    private static final Refusal LOOP = new Refusal(Response.LOOP_DETECTED, null);
    private static final Refusal TOO_MANY_HOPS = new Refusal(Response.TOO_MANY_HOPS, null);
    private static final Refusal PRELOADED_ROUTE = new Refusal(Response.FORBIDDEN, "Preload Route denied");
    private static final Refusal UNAVAILABLE = new Refusal(Response.SERVICE_UNAVAILABLE, null);

    private final List<Check> checks;

    Admission(SourceAcl acl, RouteSet routes, Cancellables calls, Drain drain) {
        this.checks = List.of(
                (event, snapshot) -> acl.allows(event) ? null : FORBIDDEN,
                (event, snapshot) -> event.getRequest().getRequestURI() instanceof SipURI ? null : UNSUPPORTED_SCHEME,
                (event, snapshot) -> passedThroughUs(event.getRequest(), routes) ? LOOP : null,
                (event, snapshot) -> SipMessages.maxForwardsSpent(event.getRequest()) ? TOO_MANY_HOPS : null,
                (event, snapshot) -> snapshot.config().sip().preloadedRoute() == PreloadedRoute.REJECT
                        && namesAnotherHop(event.getRequest(), routes) ? PRELOADED_ROUTE : null,
                (event, snapshot) -> drain.isDraining() || calls.calls() >= snapshot.config().sip().maxInFlight()
                        ? UNAVAILABLE : null);
    }

    /** Why the INVITE is refused, or null when it may be routed. */
    Refusal refuse(RequestEvent event, RoutingSnapshot snapshot) {
        for (Check check : checks) {
            Refusal refusal = check.refuse(event, snapshot);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    /** A Via of ours below the sender's: the request already went through this router. */
    private static boolean passedThroughUs(Request request, RouteSet routes) {
        ListIterator<?> vias = request.getHeaders(ViaHeader.NAME);
        while (vias.hasNext()) {
            ViaHeader via = (ViaHeader) vias.next();
            if (BranchIds.isOurs(via.getBranch()) && routes.isOwnSentBy(via.getHost(), via.getPort())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Route entry names anything but us: the caller chose the next hop. */
    static boolean namesAnotherHop(Request request, RouteSet routes) {
        ListIterator<?> it = request.getHeaders(RouteHeader.NAME);
        while (it.hasNext()) {
            if (!routes.isOwn(((RouteHeader) it.next()).getAddress().getURI())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the router is shutting down: new calls are refused while those in progress finish. */
    static final class Drain {
        private volatile boolean draining;

        void start() {
            draining = true;
        }

        boolean isDraining() {
            return draining;
        }
    }
}
