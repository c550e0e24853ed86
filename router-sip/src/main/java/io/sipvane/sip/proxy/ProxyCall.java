package io.sipvane.sip.proxy;

import io.sipvane.core.config.HealthSettings;
import io.sipvane.core.model.FailoverPolicy;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.FailoverPlan;
import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.sip.dialog.Cancellables;
import io.sipvane.sip.metrics.SipMetrics;
import io.sipvane.sip.metrics.SipMetrics.FailoverReason;
import io.sipvane.sip.metrics.SipMetrics.Outcome;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied INVITE (RFC 3261 §16, transaction-stateful): tries the destination drawn for it
 * ({@link RoutedTrunk#firstPick}), then walks the rest of the trunk's {@link FailoverPlan} one
 * destination at a time until one answers, the plan is spent, or the caller cancels. The plan
 * is built only when the first attempt fails: a call answered at once never builds one.
 *
 * <p>Implementation note: serial forking, so at most one live branch; earlier branches are
 * either finished or stale (abandoned/cancelled, kept only to clean up a late 2xx). Every
 * event (response, timer, transport error, caller's CANCEL, DNS answer) enters through a
 * synchronized method, so the state machine runs under this call's monitor only; it never
 * waits, it only tells its {@link CallPort} what to send and its {@link Scheduler} when to
 * wake it. One timer per live branch: the attempt timer until the first 1xx, then Timer C.
 * Nothing here touches a socket, so the whole machine is tested with a recording port and a
 * manual clock. Outcomes are counted before the answer goes upstream, so a caller that has
 * its answer finds it in the metrics.
 */
public final class ProxyCall implements Cancellables.Target {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyCall.class);

    private final CallPort port;
    private final CallContext context;
    private final FailoverPolicy policy;
    /** Which answers count against a destination's passive quarantine. */
    private final HealthSettings health;
    private final RoutedTrunk trunk;
    private final Destination firstPick;
    /** The first destination until it is handed out, then null. */
    private Destination first;
    /** The rest of the walk, built when the first destination has failed. */
    private FailoverPlan plan;
    private final String trunkTag;
    /** What this call did, logged as one line when it ends. */
    private final CallRecord record;
    /** The next launch's host name has just been resolved (the stack finds it in the cache). */
    private boolean resolved;
    /** Why the last destination was given up on; counted when the next one is tried. */
    private FailoverReason pendingReason;

    private Branch current;
    private Response best;
    /** A final response went upstream (2xx, 487 after CANCEL, or the walk's result). */
    private boolean finished;
    /** The caller sent CANCEL: start nothing new. */
    private boolean cancelled;
    /** Timer C fired on a ringing branch: with no other answer the caller gets 408 (RFC 3261 16.8). */
    private boolean ringingTimedOut;
    /** A sips: call: destinations other than TLS are skipped. */
    private boolean tlsOnly;

    /**
     * @param first  the trunk's first pick for this call ({@link RoutedTrunk#firstPick}), not null
     * @param record the call's log line, fed as the call goes ({@link CallRecord#NONE}: none)
     */
    public ProxyCall(CallPort port, CallContext context, RoutedTrunk trunk, Destination first, HealthSettings health,
                     String trunkTag, CallRecord record) {
        this.record = record;
        this.port = port;
        this.context = context;
        this.trunk = trunk;
        this.policy = trunk.policy();
        this.health = health;
        this.firstPick = first;
        this.first = first;
        this.trunkTag = trunkTag;
    }

    /**
     * Only TLS destinations may take this call: its Request-URI is {@code sips:}, which must
     * never cross a hop that is not TLS (RFC 3261 26.2.2). Others are skipped, not failed:
     * nothing counts against them. Called before {@link #start}.
     */
    public synchronized void requireTls() {
        this.tlsOnly = true;
    }

    public synchronized void start() {
        tryNext();
    }

    synchronized void onResponse(Branch branch, Response response) {
        int code = response.getStatusCode();
        if (branch != current || branch.isStale() || branch.state == Branch.State.COMPLETED
                || branch.state == Branch.State.ANSWERED) {
            onStaleResponse(branch, response, code);
            return;
        }
        if (code < 200) {
            onProvisional(branch, response, code);
            return;
        }
        branch.cancelTimer();
        context.metrics().attempt(branch.destination, SipMetrics.responseClass(code));
        record.attemptEnded(branch.destination, Integer.toString(code));
        if (code < 300) {
            onAnswer(branch, response);
            return;
        }
        branch.state = Branch.State.COMPLETED;
        // only a sick PBX counts against it: a 4xx speaks of the callee or the request, so an
        // extension scan or a callee not answering never takes a destination out of service
        if (health.isSick(code)) {
            context.quarantine().recordFailure(branch.destination.id());
        } else {
            context.quarantine().recordSuccess(branch.destination.id());
        }
        if (finished) {
            return; // cancelled: the caller already has its 487
        }
        if (!branch.reached && (code == 401 || code == 407 || (code == 403 && branch.authenticated))) {
            if (code != 403 && !branch.authenticated && retryWithCredentials(branch, response)) {
                return;
            }
            // no credentials, a second challenge, or credentials refused: try elsewhere; the
            // challenge is not the caller's to answer, so it never goes upstream
            pendingReason = FailoverReason.CODE;
            tryNext();
            return;
        }
        if (!branch.reached && failsOver(code)) {
            keepIfBetter(response);
            pendingReason = FailoverReason.CODE;
            tryNext();
            return;
        }
        keepIfBetter(response);
        finishWithBest();
    }

    private void onProvisional(Branch branch, Response response, int code) {
        if (branch.state == Branch.State.CALLING || code > 100) {
            // the first 1xx stops the attempt timer; every provisional after a 100 restarts
            // Timer C (RFC 3261 16.7 step 2), so a callee still ringing is not cut off
            branch.state = Branch.State.PROCEEDING;
            branch.cancelTimer();
            branch.timer = context.timers().schedule(() -> onTimer(branch), context.timerCMs());
        }
        if (cancelled) {
            cancelBranch(branch);
            return;
        }
        if (code > 100) {
            branch.reached = true;
            record.progressed();
            port.relay(response);
        }
    }

    private void onAnswer(Branch branch, Response response) {
        branch.state = Branch.State.ANSWERED;
        context.quarantine().recordSuccess(branch.destination.id());
        if (finished) {
            port.ackAndBye(branch, response); // the caller cancelled first: nobody wants this call
            return;
        }
        finished = true;
        port.ended();
        context.metrics().call(trunkTag, Outcome.ANSWERED);
        record.progressed();
        port.relay(response);
        record.ended(Outcome.ANSWERED, response.getStatusCode()); // the log line, once the answer is on its way
    }

    private void onStaleResponse(Branch branch, Response response, int code) {
        if (code < 200) {
            if (branch.state == Branch.State.ABANDONED) {
                cancelBranch(branch); // it woke up after we gave up on it: a CANCEL is possible now
            }
        } else if (code < 300) {
            if (branch.state == Branch.State.ANSWERED) {
                port.relayAnother2xx(response); // another fork of the callee answered too
            } else {
                port.ackAndBye(branch, response);
            }
        }
    }

    /** A 2xx with no client transaction left, for a branch we gave up on. */
    public synchronized void onLate2xx(Branch branch, Response response) {
        port.ackAndBye(branch, response);
    }

    synchronized void onTransportError(Branch branch, String what) {
        if (branch != current || branch.state != Branch.State.CALLING && branch.state != Branch.State.PROCEEDING) {
            return;
        }
        LOG.debug("{} towards {}", what, branch.destination);
        branch.cancelTimer();
        boolean wasReached = branch.reached;
        branch.state = Branch.State.ABANDONED;
        port.abandon(branch);
        context.metrics().attempt(branch.destination, "transport");
        record.attemptEnded(branch.destination, "transport error");
        if (finished) {
            return;
        }
        if (wasReached) {
            finishWithBest();
            return;
        }
        destinationFailed(branch.destination, FailoverReason.TRANSPORT);
        tryNext();
    }

    private synchronized void onTimer(Branch branch) {
        branch.timer = null;
        if (branch.state == Branch.State.CALLING) {
            // attempt timer: silent destination; no CANCEL before a 1xx (RFC 3261 9.1)
            branch.state = Branch.State.ABANDONED;
            port.abandon(branch);
            if (branch == current && !finished) {
                LOG.debug("no answer from {} in {} ms", branch.destination, policy.attemptTimeoutMs());
                attemptFailed(branch.destination, "timeout", FailoverReason.TIMEOUT);
                tryNext();
            }
        } else if (branch.state == Branch.State.PROCEEDING) {
            // Timer C
            boolean wasReached = branch.reached;
            cancelBranch(branch);
            if (branch == current && !finished) {
                context.metrics().attempt(branch.destination, "timeout");
                record.attemptEnded(branch.destination, "timeout");
                if (wasReached) {
                    ringingTimedOut = true;
                    finishWithBest();
                } else {
                    destinationFailed(branch.destination, FailoverReason.TIMEOUT);
                    tryNext();
                }
            }
        }
    }

    @Override
    public synchronized void onCancel() {
        if (finished) {
            return;
        }
        cancelled = true;
        finished = true;
        port.ended();
        context.metrics().call(trunkTag, Outcome.CANCELLED);
        port.respond(Response.REQUEST_TERMINATED);
        record.ended(Outcome.CANCELLED, Response.REQUEST_TERMINATED);
        Branch branch = current;
        if (branch != null && branch.state == Branch.State.PROCEEDING) {
            cancelBranch(branch);
        }
        // a CALLING branch is cancelled on its first 1xx, or abandoned by its attempt timer
    }

    private void cancelBranch(Branch branch) {
        branch.cancelTimer();
        branch.state = Branch.State.CANCELLED;
        port.cancel(branch);
    }

    private boolean failsOver(int code) {
        // the callee was reached or refused for good: never try elsewhere
        return code != 404 && code != 486 && code < 600 && policy.failsOverOn(code);
    }

    private void keepIfBetter(Response response) {
        if (ResponseSelection.isBetter(response.getStatusCode(), best == null ? 0 : best.getStatusCode())) {
            best = response;
        }
    }

    /** An attempt ended in silence or a transport error: count its result, then {@link #destinationFailed}. */
    private void attemptFailed(Destination destination, String result, FailoverReason reason) {
        context.metrics().attempt(destination, result);
        record.attemptEnded(destination, result.equals("transport") ? "transport error" : result);
        destinationFailed(destination, reason);
    }

    /** The destination itself failed (silence, transport): it counts towards its quarantine, and the walk moves on. */
    private void destinationFailed(Destination destination, FailoverReason reason) {
        if (context.quarantine().recordFailure(destination.id())) {
            LOG.warn("destination {} \"{}\" {} quarantined for {} ms: {} failed call(s) in a row, the last by {}",
                    destination.id(), destination.source().name(), destination.source().uri(),
                    context.quarantine().period().toMillis(), context.quarantine().threshold(), reason.tag());
        }
        pendingReason = reason;
    }

    /** Starts the next destination of the plan; relays the walk's result when the plan is spent. */
    private void tryNext() {
        while (!finished) {
            Destination destination = nextDestination();
            if (destination == null) {
                current = null;
                finishWithBest();
                return;
            }
            if (launch(destination, null)) {
                return;
            }
        }
    }

    private Destination nextDestination() {
        Destination d;
        do {
            d = nextPlanned();
        } while (d != null && tlsOnly && d.transport() != io.sipvane.core.model.Transport.TLS);
        return d;
    }

    private Destination nextPlanned() {
        if (first != null) {
            Destination d = first;
            first = null;
            return d;
        }
        if (plan == null) {
            plan = trunk.planAfter(firstPick, context.random(), context.health());
        }
        return plan.next();
    }

    /**
     * Sends the INVITE to {@code destination} on a new branch, with {@code authorization}
     * when answering a challenge. False when it failed at once (the walk goes on).
     */
    private boolean launch(Destination destination, Header authorization) {
        if (!destination.target().hostIsIpLiteral() && !resolved) {
            // never block a listener thread on DNS: resolve first, go on when the answer is in
            port.resolve(destination).whenComplete((address, failure) -> onResolved(destination, authorization, failure));
            return true;
        }
        resolved = false;
        if (authorization == null) {
            countFailover();
        }
        Branch branch = new Branch(this, destination, context.branchIds().next());
        branch.authenticated = authorization != null;
        current = branch;
        record.attemptStarted(destination);
        try {
            port.send(branch, authorization);
        } catch (SipException | RuntimeException e) {
            if (branch.state != Branch.State.CALLING) {
                return true; // an I/O event already moved the call on
            }
            // no listener for its transport, a refused TCP connect and the like: fail over at once
            LOG.debug("cannot send to {}: {}", destination, e.toString());
            branch.state = Branch.State.ABANDONED;
            attemptFailed(destination, "transport", FailoverReason.TRANSPORT);
            return false;
        }
        if (branch.state == Branch.State.CALLING && branch.timer == null) {
            branch.timer = context.timers().schedule(() -> onTimer(branch), policy.attemptTimeoutMs());
        }
        return true;
    }

    private synchronized void onResolved(Destination destination, Header authorization, Throwable failure) {
        if (finished) {
            return;
        }
        if (failure != null) {
            LOG.debug("cannot resolve {}: {}", destination, failure.getMessage());
            attemptFailed(destination, "transport", FailoverReason.TRANSPORT);
            tryNext();
            return;
        }
        resolved = true;
        if (!launch(destination, authorization)) {
            tryNext();
        }
    }

    /**
     * Answers a destination's 401/407 once with the URI's credentials (RFC 3261 §22.2): the
     * same INVITE with an Authorization or Proxy-Authorization header, on a new branch.
     * False when the URI has no credentials or the challenge cannot be answered.
     */
    private boolean retryWithCredentials(Branch challenged, Response challenge) {
        OriginationUri uri = challenged.destination.source();
        if (!uri.authenticationNeeded() || cancelled || finished) {
            return false;
        }
        Header authorization = port.answer(challenged, challenge);
        if (authorization == null) {
            return false;
        }
        if (!launch(challenged.destination, authorization)) {
            tryNext();
        }
        return true;
    }

    /** A destination was given up on and the walk goes on: count why, once. */
    private void countFailover() {
        if (pendingReason != null) {
            context.metrics().failover(pendingReason);
            pendingReason = null;
        }
    }

    private void finishWithBest() {
        if (finished) {
            return;
        }
        finished = true;
        port.ended();
        int bestCode = best == null ? 0 : best.getStatusCode();
        Outcome outcome = bestCode == 486 || bestCode == 600 || bestCode == 603 ? Outcome.BUSY : Outcome.FAILED;
        context.metrics().call(trunkTag, outcome);
        record.progressed();
        int code = best == null ? (ringingTimedOut ? Response.REQUEST_TIMEOUT : Response.SERVICE_UNAVAILABLE)
                : ResponseSelection.relayedCode(bestCode);
        if (best == null) {
            port.respond(code);
        } else {
            port.relayFinal(best, code);
        }
        record.ended(outcome, code);
    }
}
