package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.sip.dialog.Cancellables;
import io.sipvane.sip.message.Outbound;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.metrics.SipMetrics;
import io.sipvane.sip.metrics.SipMetrics.Outcome;
import io.sipvane.sip.stack.Transactions;
import java.util.random.RandomGenerator;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A new INVITE: admission, then the trunk and its failover plan from the current routing
 * snapshot (read once; the call keeps it), then a {@link ProxyCall} that walks the plan.
 *
 * <p>Everything refused before a call is routed (admission, no trunk, no usable URI) is
 * answered statelessly, once: a spoofed source gets one packet back, not a server
 * transaction retransmitting the refusal for 32 s. Only a routed call gets a transaction.
 */
final class InviteHandler {
    private final RoutingTable table;
    private final RandomGenerator random;
    private final Admission admission;
    private final Cancellables cancellables;
    private final CallPorts ports;
    private final CallContext context;
    private final Outbound outbound;
    private final SipMessages messages;

    InviteHandler(RoutingTable table, RandomGenerator random, Admission admission, Cancellables cancellables,
                  CallPorts ports, CallContext context) {
        this.table = table;
        this.random = random;
        this.admission = admission;
        this.cancellables = cancellables;
        this.ports = ports;
        this.context = context;
        this.outbound = ports.outbound;
        this.messages = ports.messages;
    }

    void handle(RequestEvent event) throws SipException, javax.sip.InvalidArgumentException {
        Request request = event.getRequest();
        RoutingSnapshot snapshot = table.current();
        SipMetrics metrics = context.metrics();
        // outcomes are counted before the answer leaves, so whoever sees the answer sees the count
        Admission.Refusal refusal = admission.refuse(event, snapshot);
        if (refusal != null) {
            if (refusal.code() != Response.UNSUPPORTED_URI_SCHEME) {
                metrics.call(SipMetrics.NO_TRUNK, Outcome.REJECTED);
            }
            refuse(event, refusal.code(), refusal.reason());
            return;
        }
        long decisionStart = System.nanoTime();
        SipURI called = (SipURI) request.getRequestURI();
        RoutedTrunk trunk = snapshot.trunkFor(called.getHost(), called.getUser());
        if (trunk == null || trunk.isEmpty()) {
            metrics.call(trunk, Outcome.NO_ROUTE);
            refuse(event, trunk == null ? Response.NOT_FOUND : Response.SERVICE_UNAVAILABLE, null);
            return;
        }
        ServerTransaction st = Transactions.serverTransaction(event);
        if (st == null) {
            return; // a retransmission raced the first copy: that one is being handled
        }
        Destination first = trunk.firstPick(random); // not null: the trunk has a destination
        metrics.routingDecision(System.nanoTime() - decisionStart);
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        ListenAddress arrival = outbound.arrival(request, SipMessages.parseTransport(top.getTransport()));
        String key = Cancellables.key(request);
        ProxyCall call = new ProxyCall(ports.forCall(st, request, arrival, key), context, trunk, first,
                snapshot.config().health(), SipMetrics.trunkTag(trunk),
                CallRecords.of(request, trunk, snapshot, metrics, decisionStart));
        cancellables.addCall(key, call);
        if (called.isSecure()) {
            call.requireTls();
        }
        call.start();
    }

    private void refuse(RequestEvent event, int code, String reason) {
        Transactions.respondStateless((SipProvider) event.getSource(),
                messages.statelessResponse(code, event.getRequest(), reason));
    }
}
