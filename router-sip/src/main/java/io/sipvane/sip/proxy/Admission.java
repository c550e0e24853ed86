package io.sipvane.sip.proxy;

import gov.nist.javax.sip.RequestEventExt;
import io.sipvane.core.config.SipSettings;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.sip.dialog.Cancellables;
import io.sipvane.sip.message.SipMessages;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.message.Response;

/**
 * The checks a new INVITE passes before it is routed, in order; the first that refuses
 * answers it: source ACL (403), Max-Forwards (483), drain or overload (503 with Retry-After),
 * a Request-URI we cannot route (416).
 */
final class Admission {
    /** One check: the response code refusing the request, or 0 to let it through. */
    interface Check {
        int refuse(RequestEvent event, RoutingSnapshot snapshot);
    }

    private final List<Check> checks;

    Admission(Cancellables calls, Drain drain) {
        this.checks = List.of(Admission::sourceAllowed, Admission::hopsLeft,
                (event, snapshot) -> drain.isDraining() || calls.calls() >= snapshot.config().sip().maxInFlight()
                        ? Response.SERVICE_UNAVAILABLE : 0,
                (event, snapshot) -> event.getRequest().getRequestURI() instanceof SipURI ? 0 : Response.UNSUPPORTED_URI_SCHEME);
    }

    /** The code refusing the INVITE, or 0 when it may be routed. */
    int refuse(RequestEvent event, RoutingSnapshot snapshot) {
        for (Check check : checks) {
            int code = check.refuse(event, snapshot);
            if (code != 0) {
                return code;
            }
        }
        return 0;
    }

    private static int sourceAllowed(RequestEvent event, RoutingSnapshot snapshot) {
        SipSettings sip = snapshot.config().sip();
        if (sip.allowFrom() == null) {
            return 0;
        }
        try {
            String ip = ((RequestEventExt) event).getRemoteIpAddress();
            // an IP literal: getByName does not look it up
            return ip != null && sip.allows(InetAddress.getByName(ip)) ? 0 : Response.FORBIDDEN;
        } catch (UnknownHostException | ClassCastException e) {
            return Response.FORBIDDEN;
        }
    }

    private static int hopsLeft(RequestEvent event, RoutingSnapshot snapshot) {
        return SipMessages.maxForwardsSpent(event.getRequest()) ? Response.TOO_MANY_HOPS : 0;
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
