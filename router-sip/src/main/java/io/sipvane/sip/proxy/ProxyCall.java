package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.FailoverPolicy;
import io.sipvane.core.model.Transport;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.FailoverPlan;
import io.sipvane.core.uri.SipUri;
import java.text.ParseException;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied INVITE (RFC 3261 §16, transaction-stateful): walks the call's
 * {@link FailoverPlan} one destination at a time until one answers, the plan is spent, or the
 * caller cancels.
 *
 * <p>Implementation note: serial forking, so at most one live branch; earlier branches are
 * either finished or stale (abandoned/cancelled, kept only to clean up a late 2xx). Every
 * event (response, our timer, transport error, caller's CANCEL) enters through a synchronized
 * method, so the state machine runs under this call's monitor only; it never waits, it only
 * sends. One timer per live branch: the attempt timer until the first 1xx, then Timer C.
 * Cost per attempt: one cloned request, one client transaction, one scheduled task.
 */
final class ProxyCall {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyCall.class);

    final String key;
    private final SipRouter router;
    private final ServerTransaction upstream;
    private final Request original;
    private final ListenAddress inbound;
    private final FailoverPolicy policy;
    private final FailoverPlan plan;
    private final String trunkTag;
    /** The next launch's host name has just been resolved (the stack finds it in the JVM cache). */
    private boolean resolved;
    /** Why the last destination was given up on; counted when the next one is tried. */
    private SipMetrics.FailoverReason pendingReason;

    private Branch current;
    private Response best;
    /** A final response went upstream (2xx, 487 after CANCEL, or the walk's result). */
    private boolean finished;
    /** The caller sent CANCEL: start nothing new. */
    private boolean cancelled;
    /** Timer C fired on a ringing branch: with no other answer the caller gets 408 (RFC 3261 16.8). */
    private boolean ringingTimedOut;

    ProxyCall(SipRouter router, ServerTransaction upstream, Request original, ListenAddress inbound,
              FailoverPolicy policy, FailoverPlan plan, String key, String trunkTag) {
        this.router = router;
        this.upstream = upstream;
        this.original = original;
        this.inbound = inbound;
        this.policy = policy;
        this.plan = plan;
        this.key = key;
        this.trunkTag = trunkTag;
    }

    synchronized void start() {
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
            if (branch.state == Branch.State.CALLING) {
                branch.state = Branch.State.PROCEEDING;
                router.rememberCalling(branch, false);
                branch.cancelTimer();
                branch.timer = router.timers.schedule(() -> onTimer(branch), router.timerCMs);
            }
            if (cancelled) {
                cancelBranch(branch);
                return;
            }
            if (code > 100) {
                branch.reached = true;
                relay(response);
            }
            return;
        }
        branch.cancelTimer();
        router.rememberCalling(branch, false);
        router.metrics().attempt(branch.destination, SipMetrics.responseClass(code));
        if (code < 300) {
            branch.state = Branch.State.ANSWERED;
            router.quarantine().recordSuccess(branch.destination.id());
            if (finished) {
                router.ackAndBye(branch, response); // the caller cancelled first: nobody wants this call
                return;
            }
            finished = true;
            relay(response);
            router.callEnded(this);
            router.metrics().call(trunkTag, SipMetrics.Outcome.ANSWERED);
            return;
        }
        branch.state = Branch.State.COMPLETED;
        if (finished) {
            return; // cancelled: the caller already has its 487
        }
        if (!branch.reached && (code == 401 || code == 407 || (code == 403 && branch.authenticated))) {
            if (code != 403 && !branch.authenticated && retryWithCredentials(branch, response)) {
                return;
            }
            // no credentials, a second challenge, or credentials refused: this destination failed;
            // its challenge is not the caller's to answer, so it never goes upstream
            router.quarantine().recordFailure(branch.destination.id());
            pendingReason = SipMetrics.FailoverReason.CODE;
            tryNext();
            return;
        }
        if (!branch.reached && failsOver(code)) {
            router.quarantine().recordFailure(branch.destination.id());
            pendingReason = SipMetrics.FailoverReason.CODE;
            keepIfBetter(response);
            tryNext();
            return;
        }
        router.quarantine().recordSuccess(branch.destination.id());
        keepIfBetter(response);
        finishWithBest();
    }

    private void onStaleResponse(Branch branch, Response response, int code) {
        if (code < 200) {
            if (branch.state == Branch.State.ABANDONED && branch.transaction != null) {
                cancelBranch(branch);
            }
        } else if (code < 300) {
            if (branch.state == Branch.State.ANSWERED) {
                try {
                    router.forwardStateless(response); // another fork of the callee answered too
                } catch (SipException | RuntimeException e) {
                    LOG.debug("could not relay a further 2xx: {}", e.toString());
                }
            } else {
                router.ackAndBye(branch, response);
            }
        }
    }

    /** A 2xx with no client transaction left, for a branch we gave up on. */
    synchronized void onLate2xx(Branch branch, Response response) {
        router.ackAndBye(branch, response);
    }

    synchronized void onTransportError(Branch branch, String what) {
        if (branch != current || branch.state != Branch.State.CALLING && branch.state != Branch.State.PROCEEDING) {
            return;
        }
        LOG.debug("{} towards {}", what, branch.destination);
        router.metrics().attempt(branch.destination, "transport");
        branch.cancelTimer();
        router.rememberCalling(branch, false);
        boolean wasReached = branch.reached;
        branch.state = Branch.State.ABANDONED;
        router.rememberLate(branch);
        if (finished) {
            return;
        }
        if (wasReached) {
            finishWithBest();
            return;
        }
        router.quarantine().recordFailure(branch.destination.id());
        pendingReason = SipMetrics.FailoverReason.TRANSPORT;
        tryNext();
    }

    private synchronized void onTimer(Branch branch) {
        branch.timer = null;
        if (branch.state == Branch.State.CALLING) {
            // attempt timer: silent destination; no CANCEL before a 1xx (RFC 3261 9.1)
            router.rememberCalling(branch, false);
            branch.state = Branch.State.ABANDONED;
            router.rememberLate(branch);
            if (branch == current && !finished) {
                LOG.debug("no answer from {} in {} ms", branch.destination, policy.attemptTimeoutMs());
                router.metrics().attempt(branch.destination, "timeout");
                router.quarantine().recordFailure(branch.destination.id());
                pendingReason = SipMetrics.FailoverReason.TIMEOUT;
                tryNext();
            }
        } else if (branch.state == Branch.State.PROCEEDING) {
            // Timer C
            boolean wasReached = branch.reached;
            cancelBranch(branch);
            if (branch == current && !finished) {
                router.metrics().attempt(branch.destination, "timeout");
                if (wasReached) {
                    ringingTimedOut = true;
                    finishWithBest();
                } else {
                    router.quarantine().recordFailure(branch.destination.id());
                    pendingReason = SipMetrics.FailoverReason.TIMEOUT;
                    tryNext();
                }
            }
        }
    }

    synchronized void onCancel() {
        if (finished) {
            return;
        }
        cancelled = true;
        finished = true;
        sendUpstream(Response.REQUEST_TERMINATED);
        router.callEnded(this);
        router.metrics().call(trunkTag, SipMetrics.Outcome.CANCELLED);
        Branch branch = current;
        if (branch != null && branch.state == Branch.State.PROCEEDING) {
            cancelBranch(branch);
        }
        // a CALLING branch is cancelled on its first 1xx, or abandoned by its attempt timer
    }

    private void cancelBranch(Branch branch) {
        branch.cancelTimer();
        branch.state = Branch.State.CANCELLED;
        router.rememberLate(branch);
        router.sendCancel(branch);
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

    /** Starts the next destination of the plan; relays the walk's result when the plan is spent. */
    private void tryNext() {
        while (!finished) {
            Destination destination = plan.next();
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

    /**
     * Sends the INVITE to {@code destination} on a new branch, with {@code authorization}
     * when answering a challenge. False when it failed at once (the walk goes on).
     */
    private boolean launch(Destination destination, Header authorization) {
        if (!destination.target().hostIsIpLiteral() && !resolved) {
            // never block a listener thread on DNS: resolve first, go on when the answer is in
            router.dns().resolve(destination.target().bareHost()).whenComplete((address, failure) ->
                    onResolved(destination, authorization, failure));
            return true;
        }
        resolved = false;
        Branch branch;
        try {
            branch = newBranch(destination, authorization);
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.debug("cannot send to {}: {}", destination, e.toString());
            router.metrics().attempt(destination, "transport");
            router.quarantine().recordFailure(destination.id());
            countFailover();
            pendingReason = SipMetrics.FailoverReason.TRANSPORT;
            return false;
        }
        if (authorization == null) {
            countFailover();
        }
        branch.authenticated = authorization != null;
        current = branch;
        router.rememberCalling(branch, true);
        try {
            branch.transaction.sendRequest();
        } catch (SipException | RuntimeException e) {
            // refused TCP connect and the like: fail over at once
            if (branch.state == Branch.State.CALLING) {
                LOG.debug("send to {} failed: {}", destination, e.toString());
                router.rememberCalling(branch, false);
                branch.state = Branch.State.ABANDONED;
                router.metrics().attempt(destination, "transport");
                router.quarantine().recordFailure(destination.id());
                pendingReason = SipMetrics.FailoverReason.TRANSPORT;
                return false;
            }
            return true; // an I/O event already moved the call on
        }
        if (branch.state == Branch.State.CALLING && branch.timer == null) {
            branch.timer = router.timers.schedule(() -> onTimer(branch), policy.attemptTimeoutMs());
        }
        return true;
    }

    private synchronized void onResolved(Destination destination, Header authorization, Throwable failure) {
        if (finished) {
            return;
        }
        if (failure != null) {
            LOG.debug("cannot resolve {}: {}", destination, failure.getMessage());
            router.metrics().attempt(destination, "transport");
            router.quarantine().recordFailure(destination.id());
            pendingReason = SipMetrics.FailoverReason.TRANSPORT;
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
        var uri = challenged.destination.source();
        if (!uri.authenticationNeeded() || cancelled || finished) {
            return false;
        }
        Header authorization;
        try {
            authorization = router.authorization(challenge, uri.username(), uri.password(), requestUri(challenged.destination));
        } catch (ParseException | RuntimeException e) {
            LOG.debug("cannot answer the challenge of {}: {}", challenged.destination, e.getMessage());
            return false;
        }
        if (authorization == null) {
            return false;
        }
        router.metrics().attempt(challenged.destination, SipMetrics.responseClass(challenge.getStatusCode()));
        if (!launch(challenged.destination, authorization)) {
            tryNext();
        }
        return true;
    }

    /** A destination was given up on and the walk goes on: count why, once. */
    private void countFailover() {
        if (pendingReason != null) {
            router.metrics().failover(pendingReason);
            pendingReason = null;
        }
    }

    private Branch newBranch(Destination destination, Header authorization)
            throws SipException, ParseException, InvalidArgumentException {
        Transport transport = destination.transport();
        SipProvider provider = router.outboundProvider(transport);
        if (provider == null) {
            throw new SipException("no " + transport.token() + " listener to send from");
        }
        Request out = (Request) original.clone();
        Branch branch = new Branch(this, destination, provider, router.newBranch());
        out.setRequestURI(requestUri(destination));
        router.removeOwnRoutes(out);
        SipRouter.decrementMaxForwards(out);
        // Record-Route: the callee-facing entry on top; a second, caller-facing one when the legs differ
        Transport in = inbound.transport();
        if (in != transport) {
            out.addFirst(router.recordRoute(inbound, in));
        }
        out.addFirst(router.recordRoute(router.listenFor(transport), transport));
        router.addVia(out, provider, transport, branch.viaBranch);
        if (authorization != null) {
            out.setHeader(authorization);
        }
        ClientTransaction ct = provider.getNewClientTransaction(out);
        ct.setApplicationData(branch);
        branch.transaction = ct;
        return branch;
    }

    private SipURI requestUri(Destination destination) throws ParseException {
        SipUri target = destination.target();
        String user = target.user();
        if (user == null && original.getRequestURI() instanceof SipURI called) {
            user = called.getUser();
        }
        SipURI uri = router.addresses.createSipURI(user, target.host());
        if (target.port() != 0) {
            uri.setPort(target.port());
        }
        uri.setSecure(target.secure());
        if (target.transport() != null || destination.transport() != Transport.UDP && !target.secure()) {
            uri.setTransportParam(destination.transport().token());
        }
        return uri;
    }

    /** The Request-URI a branch was sent to (to reach the callee without a Contact). */
    SipURI forwardedUri(Branch branch) {
        try {
            return requestUri(branch.destination);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void finishWithBest() {
        if (finished) {
            return;
        }
        finished = true;
        router.callEnded(this);
        int bestCode = best == null ? 0 : best.getStatusCode();
        router.metrics().call(trunkTag, bestCode == 486 || bestCode == 600 || bestCode == 603
                ? SipMetrics.Outcome.BUSY : SipMetrics.Outcome.FAILED);
        try {
            if (best == null && ringingTimedOut) {
                upstream.sendResponse(router.messages.createResponse(Response.REQUEST_TIMEOUT, original));
                return;
            }
            if (best == null) {
                upstream.sendResponse(router.serviceUnavailable(original));
                return;
            }
            Response out = (Response) best.clone();
            out.removeFirst(ViaHeader.NAME);
            out.removeHeader(RecordRouteHeader.NAME);
            int code = ResponseSelection.relayedCode(out.getStatusCode());
            if (code != out.getStatusCode()) {
                out.setStatusCode(code);
                out.setReasonPhrase("Server Internal Error");
            }
            upstream.sendResponse(out);
        } catch (SipException | InvalidArgumentException | ParseException | RuntimeException e) {
            LOG.warn("could not send the final response: {}", e.toString());
        }
    }

    private void relay(Response response) {
        try {
            Response out = (Response) response.clone();
            out.removeFirst(ViaHeader.NAME);
            upstream.sendResponse(out);
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.debug("could not relay {}: {}", response.getStatusCode(), e.toString());
        }
    }

    private void sendUpstream(int code) {
        try {
            upstream.sendResponse(router.messages.createResponse(code, original));
        } catch (SipException | InvalidArgumentException | ParseException | RuntimeException e) {
            LOG.debug("could not send {}: {}", code, e.toString());
        }
    }
}
