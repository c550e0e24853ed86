package io.sipvane.sip.proxy;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.sip.auth.DigestAuthorizer;
import io.sipvane.sip.dialog.AcceptedInvites;
import io.sipvane.sip.dialog.Cancellables;
import io.sipvane.sip.dialog.InDialogGate;
import io.sipvane.sip.dialog.StatefulRelay;
import io.sipvane.sip.dialog.StatelessRelay;
import io.sipvane.sip.dns.DnsCache;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.message.Outbound;
import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.RouteToken;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.metrics.SipMetrics;
import io.sipvane.sip.stack.StatelessPath;
import io.sipvane.sip.stack.TransportErrors;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.random.RandomGenerator;
import javax.sip.SipListener;

/**
 * The transaction-stateful proxy, wired by constructor: the listener and the handlers it
 * dispatches to, the stateless path, and what calls share. One per running stack.
 */
public final class Proxy {
    private final ProxyListener listener;
    private final ValvePath valvePath;
    private final Cancellables cancellables = new Cancellables();
    private final Admission.Drain drain = new Admission.Drain();

    /**
     * @param timers   the calls' timers
     * @param timerCMs  Timer C, {@link CallContext#TIMER_C_MS} outside tests
     * @param connector runs TCP and TLS sends, which may block on a connect
     * @param accepted  the INVITEs answered with a 2xx, whose retransmissions are absorbed
     */
    public Proxy(SipMessages messages, Outbound outbound, BranchIds branchIds, RouteToken tokens, DnsCache dns,
                 RoutingTable table, HealthView health, PassiveQuarantine quarantine, RandomGenerator random,
                 Scheduler timers, long timerCMs, SipMetrics metrics, Executor connector, AcceptedInvites accepted) {
        RouteSet routes = new RouteSet(outbound.local());
        InDialogGate gate = new InDialogGate(routes, tokens);
        SourceAcl acl = new SourceAcl(table);
        StatelessRelay statelessRelay = new StatelessRelay(messages, routes, outbound, branchIds, gate, accepted);
        LateBranches late = new LateBranches(timers);
        TransportErrors transportErrors = new TransportErrors();
        CallPorts ports = new CallPorts(messages, routes, outbound, dns, new DigestAuthorizer(messages.headers()), late,
                transportErrors, new DialogCleanup(messages, routes, branchIds), statelessRelay, cancellables, tokens,
                connector, timers);
        CallContext context = new CallContext(timers, timerCMs, branchIds, metrics, quarantine, random, health);
        InviteHandler invites = new InviteHandler(table, random, new Admission(acl, routes, cancellables, drain),
                cancellables, ports, context);
        StrayResponses strays = new StrayResponses(late, statelessRelay);
        this.valvePath = new ValvePath(statelessRelay, strays);
        this.listener = new ProxyListener(messages, acl, statelessRelay,
                new StatefulRelay(messages, routes, outbound, branchIds, cancellables, gate, transportErrors, connector),
                cancellables, invites,
                new OutOfDialog(messages, routes), strays, transportErrors);
        metrics.inFlight(cancellables::calls);
        rotateEveryTimerL(timers, accepted);
    }

    /** RFC 6026's Timer L for the answered INVITEs: a new generation every 32 s while the timers run. */
    static void rotateEveryTimerL(Scheduler timers, AcceptedInvites accepted) {
        timers.schedule(() -> {
            accepted.rotate();
            try {
                rotateEveryTimerL(timers, accepted);
            } catch (RejectedExecutionException stopping) {
                // the timers are shutting down with the stack: nothing is absorbed any more
            }
        }, AcceptedInvites.TIMER_L_MS);
    }

    public SipListener listener() {
        return listener;
    }

    /** What the stack's valve hands messages to before its transaction layer. */
    public StatelessPath valvePath() {
        return valvePath;
    }

    /** From now on new INVITEs get 503 with Retry-After; calls in progress go on. */
    public void drain() {
        drain.start();
    }

    /** INVITEs being routed now. */
    public int inFlight() {
        return cancellables.calls();
    }
}
