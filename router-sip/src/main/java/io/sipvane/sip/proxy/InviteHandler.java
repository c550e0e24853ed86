package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.routing.FailoverPlan;
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
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A new INVITE: admission, then the trunk and its failover plan from the current routing
 * snapshot (read once; the call keeps it), then a {@link ProxyCall} that walks the plan.
 */
final class InviteHandler {
    private final RoutingTable table;
    private final HealthView health;
    private final RandomGenerator random;
    private final Admission admission;
    private final Cancellables cancellables;
    private final CallPorts ports;
    private final CallContext context;
    private final Outbound outbound;
    private final SipMessages messages;

    InviteHandler(RoutingTable table, HealthView health, RandomGenerator random, Admission admission,
                  Cancellables cancellables, CallPorts ports, CallContext context) {
        this.table = table;
        this.health = health;
        this.random = random;
        this.admission = admission;
        this.cancellables = cancellables;
        this.ports = ports;
        this.context = context;
        this.outbound = ports.outbound;
        this.messages = ports.messages;
    }

    void handle(RequestEvent event) throws SipException, InvalidArgumentException {
        ServerTransaction st = Transactions.serverTransaction(event);
        if (st == null) {
            return; // a retransmission raced the first copy: that one is being handled
        }
        Request request = event.getRequest();
        RoutingSnapshot snapshot = table.current();
        SipMetrics metrics = context.metrics();
        int refused = admission.refuse(event, snapshot);
        // outcomes are counted before the answer leaves, so whoever sees the answer sees the count
        if (refused != 0) {
            if (refused != Response.UNSUPPORTED_URI_SCHEME) {
                metrics.call(SipMetrics.NO_TRUNK, Outcome.REJECTED);
            }
            st.sendResponse(messages.response(refused, request));
            return;
        }
        long decisionStart = System.nanoTime();
        SipURI called = (SipURI) request.getRequestURI();
        RoutedTrunk trunk = snapshot.trunkFor(called.getHost(), called.getUser());
        if (trunk == null || trunk.isEmpty()) {
            metrics.call(trunk, Outcome.NO_ROUTE);
            st.sendResponse(messages.response(trunk == null ? Response.NOT_FOUND : Response.SERVICE_UNAVAILABLE, request));
            return;
        }
        FailoverPlan plan = trunk.plan(random, health);
        metrics.routingDecision(System.nanoTime() - decisionStart);
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        ListenAddress arrival = outbound.arrival(request, SipMessages.parseTransport(top.getTransport()));
        String key = Cancellables.key(request);
        ProxyCall call = new ProxyCall(ports.forCall(st, request, arrival, key), context, trunk.policy(), plan,
                SipMetrics.trunkTag(trunk), CallRecords.of(request, trunk, snapshot, metrics, decisionStart));
        cancellables.addCall(key, call);
        call.start();
    }
}
