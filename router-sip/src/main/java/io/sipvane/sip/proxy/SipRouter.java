package io.sipvane.sip.proxy;

import gov.nist.javax.sip.RequestEventExt;
import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.model.Transport;
import io.sipvane.core.routing.FailoverPlan;
import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.core.routing.RoutingTable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import io.sipvane.core.routing.Destination;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP listener of the proxy: classifies every request and response and hands it to
 * the right handler. New INVITEs become a {@link ProxyCall}; in-dialog requests are
 * loose-routed (re-INVITE and other transports stateful; ACK and other requests between UDP
 * legs stateless); 2xx retransmissions with no client transaction are relayed statelessly.
 *
 * <p>Implementation note: the stack calls this listener concurrently (reentrant listener, 2
 * threads). Nothing here blocks or takes a lock except a call's own monitor; per-call state
 * sits in the transaction's application data, and two small concurrent maps find a call from
 * a CANCEL and a branch from a stray 2xx. No exception escapes: each event is wrapped, logged
 * at WARN, and answered with a 400/500 where a response is still possible.
 */
final class SipRouter implements SipListener {
    private static final Logger LOG = LoggerFactory.getLogger(SipRouter.class);

    static final String ALLOWED_METHODS = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, PRACK";
    static final String MAGIC_COOKIE = "z9hG4bK";
    /** Our branches: then a counter in hex (stateful), or {@code s} and the caller's branch (stateless). */
    static final String BRANCH_PREFIX = MAGIC_COOKIE + "sv";
    static final String STATELESS_BRANCH_PREFIX = BRANCH_PREFIX + "s";
    /** Retry-After (s) sent with our own 503s. */
    static final int RETRY_AFTER_S = 5;
    /** How long a given-up branch is remembered so that its late 2xx can be ACKed and BYEd. */
    static final long LATE_BRANCH_MEMORY_MS = 40_000;
    /** Timer C (RFC 3261 16.6 step 11, > 3 min): a ringing branch with no final response by then is CANCELled. */
    static final long TIMER_C_MS = 180_000;
    /** T1 for completed non-INVITE server transactions over UDP; see {@link #shortenLinger}. */
    static final int LINGER_T1_MS = 100;

    private static final Object CLEANUP = new Object();

    final AddressFactory addresses;
    final HeaderFactory headers;
    final MessageFactory messages;
    final ProxyTimers timers;
    final long timerCMs;
    private final RoutingTable table;
    private final HealthView health;
    private final PassiveQuarantine quarantine;
    private final RandomGenerator random;
    private final SipMetrics metrics;
    private final DnsCache dns;
    /** Shutting down: new calls get 503 while the ones in progress finish. */
    private volatile boolean draining;
    private final AtomicLong branchCounter = new AtomicLong(ThreadLocalRandom.current().nextLong() >>> 16);

    private final Map<Transport, SipProvider> outbound = new EnumMap<>(Transport.class);
    private final Map<Transport, ListenAddress> ownByTransport = new EnumMap<>(Transport.class);
    private final Set<String> ownHostPorts = new HashSet<>();
    /** INVITE server transactions in progress, by Call-ID + top Via branch: CANCEL finds them here. */
    private final Map<String, ProxyCall> calls = new ConcurrentHashMap<>();
    /** Re-INVITEs in progress, by Call-ID + top Via branch: CANCEL finds them here. */
    private final Map<String, Relay> reinvites = new ConcurrentHashMap<>();
    /** Branches given up on, by our Via branch: a stateless late 2xx finds them here. */
    private final Map<String, Branch> lateBranches = new ConcurrentHashMap<>();
    /** The latest CALLING branch per transport:host:port, so an IOExceptionEvent finds its branch. */
    private final Map<String, Branch> callingByPeer = new ConcurrentHashMap<>();

    SipRouter(AddressFactory addresses, HeaderFactory headers, MessageFactory messages, ProxyTimers timers,
              RoutingTable table, HealthView health, PassiveQuarantine quarantine, RandomGenerator random,
              long timerCMs, SipMetrics metrics, DnsCache dns) {
        this.timerCMs = timerCMs;
        this.metrics = metrics;
        this.dns = dns;
        metrics.inFlight(calls::size);
        this.addresses = addresses;
        this.headers = headers;
        this.messages = messages;
        this.timers = timers;
        this.table = table;
        this.health = health;
        this.quarantine = quarantine;
        this.random = random;
    }

    /** Registers a provider and the address it listens on; call before the stack delivers events. */
    synchronized void addProvider(List<ListenAddress> listens, SipProvider provider) {
        for (ListenAddress listen : listens) {
            ownByTransport.putIfAbsent(listen.transport(), listen);
            outbound.putIfAbsent(listen.transport(), provider);
            ownHostPorts.add(listen.bareHost().toLowerCase(Locale.ROOT) + ":" + listen.port());
        }
    }

    // ----------------------------------------------------------------- requests

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        SipProvider provider = (SipProvider) event.getSource();
        try {
            dispatch(event, request, provider);
        } catch (javax.sip.TransactionUnavailableException | java.text.ParseException e) {
            // the stack refused the request as malformed (missing Max-Forwards, bad Via, ...)
            LOG.debug("bad {} request: {}", request.getMethod(), e.toString());
            if (!Request.ACK.equals(request.getMethod())) {
                respondStateless(provider, request, Response.BAD_REQUEST);
            }
        } catch (SipException | InvalidArgumentException e) {
            // mostly peers we cannot answer (unresolvable Via host, closed connection)
            LOG.debug("{} not handled: {}", request.getMethod(), e.toString());
        } catch (RuntimeException e) {
            LOG.warn("{} request failed: {}", request.getMethod(), e.toString());
            LOG.debug("stack trace", e);
            if (!Request.ACK.equals(request.getMethod())) {
                respondStateless(provider, request, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    private void dispatch(RequestEvent event, Request request, SipProvider provider)
            throws SipException, InvalidArgumentException, java.text.ParseException {
        String method = request.getMethod();
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        boolean inDialog = to != null && to.getTag() != null;
        if (inDialog && relayStateless(request)) {
            return; // normally done by StatelessRelayValve before the transaction layer
        }
        if (Request.ACK.equals(method)) {
            return; // an ACK for our non-2xx final response is absorbed by its transaction
        }
        if (Request.CANCEL.equals(method)) {
            handleCancel(event, request, provider);
            return;
        }
        if (inDialog) {
            forwardInDialog(event, request, provider);
            return;
        }
        switch (method) {
            case Request.INVITE -> newInvite(event, request, provider);
            case Request.OPTIONS -> {
                if (isOwn(request.getRequestURI())) {
                    // RFC 3261 16.3: a proxy may answer an OPTIONS for itself even at Max-Forwards 0
                    Response ok = messages.createResponse(Response.OK, request);
                    ok.addHeader(allowHeader());
                    respond(event, provider, ok);
                } else if (maxForwardsSpent(request)) {
                    respond(event, provider, messages.createResponse(Response.TOO_MANY_HOPS, request));
                } else {
                    respondNotAllowed(event, provider, request);
                }
            }
            case Request.BYE, Request.UPDATE, Request.INFO, Request.PRACK ->
                    respond(event, provider, messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            default -> {
                if (maxForwardsSpent(request)) {
                    respond(event, provider, messages.createResponse(Response.TOO_MANY_HOPS, request));
                } else {
                    respondNotAllowed(event, provider, request);
                }
            }
        }
    }

    private static boolean maxForwardsSpent(Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        return mf != null && mf.getMaxForwards() <= 0;
    }

    private void newInvite(RequestEvent event, Request request, SipProvider provider)
            throws SipException, InvalidArgumentException, java.text.ParseException {
        ServerTransaction st = serverTransaction(event, provider);
        if (st == null) {
            return; // a retransmission raced the first copy: that one is being handled
        }
        if (!allowed(event)) {
            st.sendResponse(messages.createResponse(Response.FORBIDDEN, request));
            metrics.call(SipMetrics.NO_TRUNK, SipMetrics.Outcome.REJECTED);
            return;
        }
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() <= 0) {
            st.sendResponse(messages.createResponse(Response.TOO_MANY_HOPS, request));
            metrics.call(SipMetrics.NO_TRUNK, SipMetrics.Outcome.REJECTED);
            return;
        }
        RoutingSnapshot snapshot = table.current();
        if (draining || calls.size() >= snapshot.config().sip().maxInFlight()) {
            // shutting down, or overloaded: refuse cleanly rather than degrade every call
            st.sendResponse(serviceUnavailable(request));
            metrics.call(SipMetrics.NO_TRUNK, SipMetrics.Outcome.REJECTED);
            return;
        }
        URI requestUri = request.getRequestURI();
        if (!(requestUri instanceof SipURI sipUri)) {
            Response r = messages.createResponse(Response.UNSUPPORTED_URI_SCHEME, request);
            st.sendResponse(r);
            return;
        }
        long decisionStart = System.nanoTime();
        RoutedTrunk trunk = snapshot.trunkFor(sipUri.getHost(), sipUri.getUser());
        if (trunk == null) {
            st.sendResponse(messages.createResponse(Response.NOT_FOUND, request));
            metrics.call(SipMetrics.NO_TRUNK, SipMetrics.Outcome.NO_ROUTE);
            return;
        }
        if (trunk.isEmpty()) {
            st.sendResponse(serviceUnavailable(request));
            metrics.call(trunk, SipMetrics.Outcome.NO_ROUTE);
            return;
        }
        FailoverPlan plan = trunk.plan(random, health);
        metrics.routingDecision(System.nanoTime() - decisionStart);
        ViaHeader topVia = (ViaHeader) request.getHeader(ViaHeader.NAME);
        ListenAddress inbound = ownByTransport.get(parseTransport(topVia.getTransport()));
        if (inbound == null) {
            inbound = ownByTransport.values().iterator().next();
        }
        ProxyCall call = new ProxyCall(this, st, request, inbound, trunk.policy(), plan,
                cancelKey(request), SipMetrics.trunkTag(trunk));
        calls.put(call.key, call);
        call.start();
    }

    private void handleCancel(RequestEvent event, Request cancel, SipProvider provider)
            throws SipException, InvalidArgumentException, java.text.ParseException {
        ServerTransaction st = serverTransaction(event, provider);
        if (st == null) {
            return;
        }
        String key = cancelKey(cancel);
        ProxyCall call = calls.get(key);
        if (call != null) {
            st.sendResponse(messages.createResponse(Response.OK, cancel));
            call.onCancel();
            return;
        }
        Relay reinvite = reinvites.get(key);
        if (reinvite != null) {
            st.sendResponse(messages.createResponse(Response.OK, cancel));
            reinvite.cancel(this); // the callee's 487 comes back through the relay
            return;
        }
        st.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, cancel));
    }

    /**
     * Stateful loose-routed relay of an in-dialog request that cannot go statelessly
     * ({@link #relayStateless}): a re-INVITE, or a request to or from TCP or TLS.
     */
    private void forwardInDialog(RequestEvent event, Request request, SipProvider provider)
            throws SipException, InvalidArgumentException, java.text.ParseException {
        ServerTransaction st = serverTransaction(event, provider);
        if (st == null) {
            return;
        }
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() <= 0) {
            st.sendResponse(messages.createResponse(Response.TOO_MANY_HOPS, request));
            return;
        }
        shortenLinger(st, request);
        Request out = (Request) request.clone();
        Transport transport = prepareInDialog(out);
        if (out.getHeader(RouteHeader.NAME) == null && isOwn(out.getRequestURI())) {
            // addressed to us with nowhere further to go: forwarding would loop back here
            st.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            return;
        }
        SipProvider via = outbound.get(transport);
        if (via == null) {
            st.sendResponse(serviceUnavailable(request));
            return;
        }
        addVia(out, via, transport, newBranch());
        String key = Request.INVITE.equals(request.getMethod()) ? cancelKey(request) : null;
        try {
            ClientTransaction ct = via.getNewClientTransaction(out);
            Relay relay = new Relay(st, ct, key);
            ct.setApplicationData(relay);
            if (key != null) {
                reinvites.put(key, relay); // a re-INVITE can be cancelled too
            }
            ct.sendRequest();
        } catch (SipException e) {
            if (key != null) {
                reinvites.remove(key);
            }
            LOG.debug("in-dialog {} not sent: {}", request.getMethod(), e.toString());
            st.sendResponse(serviceUnavailable(request));
        }
    }

    /**
     * Relays an in-dialog request without transactions (RFC 3261 16.11) when it can go so: an
     * ACK for a 2xx (always end to end), or a non-INVITE request from UDP to UDP. False when it
     * has to go statefully: a re-INVITE (it can be cancelled), another transport on either
     * side, a caller without an RFC 3261 branch, or a request outside a dialog.
     *
     * <p>Why: on UDP both endpoints already run the transaction (retransmissions, Timer F, the
     * answer), so a relay adds nothing but a server and a client transaction per BYE, each kept
     * 5-7 s to absorb retransmissions, and their messages encoded and parsed again on release.
     * Measured at 2,000 calls/s that was about a fifth of the proxy's CPU, and more than half of
     * the transactions it held at any time.
     * A retransmission from the caller is relayed like the first copy, with the same branch
     * (ours is derived from the caller's), so the callee's transaction absorbs it; responses
     * come back with no transaction and go upstream through {@link #relayStatelessResponse}.
     */
    boolean relayStateless(Request request) throws SipException, InvalidArgumentException, java.text.ParseException {
        String method = request.getMethod();
        boolean ack = Request.ACK.equals(method);
        if (!ack && (Request.INVITE.equals(method) || Request.CANCEL.equals(method))) {
            return false;
        }
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (to == null || to.getTag() == null || top == null) {
            return false;
        }
        String branch = top.getBranch();
        boolean rfc3261 = branch != null && branch.startsWith(MAGIC_COOKIE);
        Transport inbound = parseTransport(top.getTransport());
        if (!ack && (inbound != Transport.UDP || !rfc3261)) {
            return false;
        }
        URI next = nextHop(request);
        Transport transport = transportOf(next);
        if (!ack && transport != Transport.UDP) {
            return false;
        }
        if (maxForwardsSpent(request)) {
            refuseStateless(ack, request, inbound, Response.TOO_MANY_HOPS);
            return true;
        }
        if (isOwn(next)) {
            // addressed to us with nowhere further to go: forwarding would loop back here
            refuseStateless(ack, request, inbound, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return true;
        }
        SipProvider via = outbound.get(transport);
        if (via == null) {
            refuseStateless(ack, request, inbound, Response.SERVICE_UNAVAILABLE);
            return true;
        }
        Request out = (Request) request.clone();
        prepareInDialog(out);
        addVia(out, via, transport, rfc3261 ? STATELESS_BRANCH_PREFIX + branch.substring(MAGIC_COOKIE.length()) : newBranch());
        try {
            via.sendRequest(out);
        } catch (SipException e) {
            LOG.debug("in-dialog {} not relayed: {}", method, e.toString());
            refuseStateless(ack, request, inbound, Response.SERVICE_UNAVAILABLE);
        }
        return true;
    }

    /** Answers a request we relay statelessly but cannot; an ACK is never answered. */
    private void refuseStateless(boolean ack, Request request, Transport inbound, int code) {
        SipProvider provider = outbound.get(inbound);
        if (!ack && provider != null) {
            respondStateless(provider, request, code);
        }
    }

    /**
     * Relays upstream a response to a request we relayed statelessly; false for any other
     * response (it belongs to a transaction, or to the listener's stateless 2xx handling).
     */
    boolean relayStatelessResponse(Response response) throws SipException {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        String branch = top == null ? null : top.getBranch();
        if (branch == null || !branch.startsWith(STATELESS_BRANCH_PREFIX)) {
            return false;
        }
        forwardStateless(response);
        return true;
    }

    /**
     * A completed non-INVITE server transaction over UDP lingers 64*T1 (Timer J, 32 s) only to
     * absorb retransmissions of the request. The peer retransmits at most T2 (4 s) apart, so
     * T1 = 100 ms (J = 6.4 s) still catches one, and BYE transactions stop piling up under load.
     */
    private static void shortenLinger(ServerTransaction st, Request request) {
        if (Request.INVITE.equals(request.getMethod())) {
            return; // T1 also paces the INVITE's response retransmissions: keep the default
        }
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via != null && "UDP".equalsIgnoreCase(via.getTransport())) {
            try {
                st.setRetransmitTimer(LINGER_T1_MS);
            } catch (RuntimeException e) {
                LOG.debug("cannot shorten Timer J: {}", e.toString());
            }
        }
    }

    /** Removes our own Route entries and decrements Max-Forwards; returns the next hop's transport. */
    private Transport prepareInDialog(Request out) throws InvalidArgumentException {
        removeOwnRoutes(out);
        decrementMaxForwards(out);
        return transportOf(nextHop(out));
    }

    /** Where a request goes next: its first Route entry past the leading ones naming us, else its Request-URI. */
    private URI nextHop(Request request) {
        ListIterator<?> it = request.getHeaders(RouteHeader.NAME);
        while (it.hasNext()) {
            URI uri = ((RouteHeader) it.next()).getAddress().getURI();
            if (!isOwn(uri)) {
                return uri;
            }
        }
        return request.getRequestURI();
    }

    private void respondNotAllowed(RequestEvent event, SipProvider provider, Request request)
            throws SipException, InvalidArgumentException, java.text.ParseException {
        Response r = messages.createResponse(Response.METHOD_NOT_ALLOWED, request);
        r.addHeader(allowHeader());
        respond(event, provider, r);
    }

    private void respond(RequestEvent event, SipProvider provider, Response response)
            throws SipException, InvalidArgumentException, java.text.ParseException {
        ServerTransaction st = serverTransaction(event, provider);
        if (st != null) {
            st.sendResponse(response);
        }
    }

    /** The event's server transaction, a new one, or null when a retransmission raced us to it. */
    private static ServerTransaction serverTransaction(RequestEvent event, SipProvider provider) throws SipException {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null; // the first copy owns the transaction; nothing is wrong
        }
    }

    private void respondStateless(SipProvider provider, Request request, int code) {
        try {
            provider.sendResponse(messages.createResponse(code, request));
        } catch (RuntimeException | SipException | java.text.ParseException e) {
            LOG.debug("could not answer {} {}: {}", request.getMethod(), code, e.toString());
        }
    }

    private boolean allowed(RequestEvent event) {
        SipvaneConfig config = table.current().config();
        if (config.sip().allowFrom() == null) {
            return true;
        }
        try {
            String ip = ((RequestEventExt) event).getRemoteIpAddress();
            // an IP literal: getByName does not resolve it
            return ip != null && config.sip().allows(InetAddress.getByName(ip));
        } catch (java.net.UnknownHostException | ClassCastException e) {
            return false;
        }
    }

    // ----------------------------------------------------------------- responses

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        try {
            ClientTransaction ct = event.getClientTransaction();
            Object data = ct == null ? null : ct.getApplicationData();
            if (data instanceof Branch branch) {
                branch.call.onResponse(branch, response);
            } else if (data instanceof Probe probe) {
                if (response.getStatusCode() >= 200) {
                    probe.answer(response.getStatusCode());
                }
            } else if (data instanceof Relay relay) {
                relay.relay(this, response);
            } else if (data == CLEANUP) {
                LOG.debug("cleanup request answered {}", response.getStatusCode());
            } else if (ct == null) {
                forwardResponseStateless(response);
            }
        } catch (RuntimeException | SipException | InvalidArgumentException | java.text.ParseException e) {
            LOG.warn("response {} failed: {}", response.getStatusCode(), e.toString(), e);
        }
    }

    /** A response with no client transaction: a 2xx retransmission, or a late 2xx of a branch we left. */
    private void forwardResponseStateless(Response response) throws SipException, InvalidArgumentException, java.text.ParseException {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || top.getBranch() == null || !top.getBranch().startsWith(BRANCH_PREFIX)) {
            return; // not sent through us
        }
        int code = response.getStatusCode();
        Branch late = lateBranches.get(top.getBranch());
        if (late != null) {
            if (code >= 200 && code < 300) {
                late.call.onLate2xx(late, response);
            }
            return;
        }
        if (relayStatelessResponse(response)) {
            return; // normally done by StatelessRelayValve before the transaction layer
        }
        if (code < 200 || code >= 300) {
            return; // only 2xx are retransmitted end to end; the rest belong to transactions
        }
        forwardStateless(response);
    }

    /** Relays a response upstream without a transaction: pops our Via, sends to the next one. */
    void forwardStateless(Response response) throws SipException {
        Response out = (Response) response.clone();
        out.removeFirst(ViaHeader.NAME);
        ViaHeader next = (ViaHeader) out.getHeader(ViaHeader.NAME);
        if (next == null) {
            return;
        }
        SipProvider provider = outbound.get(parseTransport(next.getTransport()));
        if (provider != null) {
            provider.sendResponse(out);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        try {
            if (event.isServerTransaction()) {
                return;
            }
            Object data = event.getClientTransaction().getApplicationData();
            if (data instanceof Branch branch) {
                branch.call.onTransportError(branch, "transaction timeout");
            } else if (data instanceof Probe probe) {
                probe.fail("no answer");
            } else if (data instanceof Relay relay) {
                relay.fail(this, Response.REQUEST_TIMEOUT);
            }
        } catch (RuntimeException e) {
            LOG.warn("timeout handling failed", e);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        try {
            String key = peerKey(event.getTransport(), event.getHost(), event.getPort());
            Branch branch = callingByPeer.get(key);
            LOG.debug("I/O error towards {}", key);
            if (branch != null) {
                branch.call.onTransportError(branch, "I/O error");
            }
        } catch (RuntimeException e) {
            LOG.warn("I/O error handling failed", e);
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing: calls end on their final response, not on transaction cleanup
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // dialog support is off
    }

    // ----------------------------------------------------------------- shared helpers for ProxyCall

    void callEnded(ProxyCall call) {
        calls.remove(call.key, call);
    }

    void rememberCalling(Branch branch, boolean calling) {
        String key = peerKey(branch.destination.transport().token(), branch.destination.target().bareHost(),
                branch.destination.port());
        if (calling) {
            callingByPeer.put(key, branch);
        } else {
            callingByPeer.remove(key, branch);
        }
    }

    void rememberLate(Branch branch) {
        if (lateBranches.putIfAbsent(branch.viaBranch, branch) == null) {
            timers.schedule(() -> lateBranches.remove(branch.viaBranch, branch), LATE_BRANCH_MEMORY_MS);
        }
    }

    /** The provider that sends over the transport of a client transaction's request. */
    SipProvider outboundFor(ClientTransaction ct) {
        ViaHeader via = (ViaHeader) ct.getRequest().getHeader(ViaHeader.NAME);
        return outbound.get(parseTransport(via.getTransport()));
    }

    SipProvider outboundProvider(Transport transport) {
        return outbound.get(transport);
    }

    String newBranch() {
        return BRANCH_PREFIX + Long.toHexString(branchCounter.incrementAndGet())
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    void addVia(Request request, SipProvider provider, Transport transport, String branch)
            throws InvalidArgumentException {
        ListenAddress own = ownByTransport.get(transport);
        try {
            ViaHeader via = headers.createViaHeader(own.bareHost(), own.port(), transport.token(), branch);
            request.addFirst(via);
        } catch (java.text.ParseException | SipException e) {
            throw new IllegalStateException("own Via rejected: " + own, e);
        }
    }

    RecordRouteHeader recordRoute(ListenAddress own, Transport transport) {
        try {
            SipURI uri = addresses.createSipURI(null, own.host());
            uri.setPort(own.port());
            uri.setLrParam();
            uri.setTransportParam(transport.token());
            return headers.createRecordRouteHeader(addresses.createAddress(uri));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("own Record-Route rejected: " + own, e);
        }
    }

    ListenAddress listenFor(Transport transport) {
        return ownByTransport.get(transport);
    }

    /** Removes the leading Route entries that name this router (loose routing, RFC 3261 16.4). */
    void removeOwnRoutes(Request request) {
        ListIterator<?> it = request.getHeaders(RouteHeader.NAME);
        List<RouteHeader> kept = new ArrayList<>();
        boolean leading = true;
        boolean removed = false;
        while (it.hasNext()) {
            RouteHeader route = (RouteHeader) it.next();
            if (leading && isOwn(route.getAddress().getURI())) {
                removed = true;
                continue;
            }
            leading = false;
            kept.add(route);
        }
        if (removed) {
            request.removeHeader(RouteHeader.NAME);
            for (RouteHeader r : kept) {
                request.addHeader(r);
            }
        }
    }

    static void decrementMaxForwards(Request request) throws InvalidArgumentException {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (mf == null) {
            return; // the stack adds none; RFC 3261 16.6 step 3 only decrements an existing one
        }
        mf.setMaxForwards(Math.max(0, mf.getMaxForwards() - 1));
    }

    boolean isOwn(URI uri) {
        if (!(uri instanceof SipURI sip)) {
            return false;
        }
        String host = sip.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = sip.getPort() > 0 ? sip.getPort() : sip.isSecure() ? 5061 : 5060;
        return ownHostPorts.contains(host + ":" + port);
    }

    static Transport transportOf(URI uri) {
        if (uri instanceof SipURI sip) {
            String t = sip.getTransportParam();
            if (t != null) {
                return parseTransport(t);
            }
            return sip.isSecure() ? Transport.TLS : Transport.UDP;
        }
        return Transport.UDP;
    }

    static Transport parseTransport(String token) {
        try {
            return Transport.parse(token);
        } catch (IllegalArgumentException e) {
            return Transport.UDP;
        }
    }

    Response serviceUnavailable(Request request) {
        try {
            Response r = messages.createResponse(Response.SERVICE_UNAVAILABLE, request);
            RetryAfterHeader ra = headers.createRetryAfterHeader(RETRY_AFTER_S);
            r.addHeader(ra);
            return r;
        } catch (java.text.ParseException | InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    AllowHeader allowHeader() {
        try {
            return headers.createAllowHeader(ALLOWED_METHODS);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    PassiveQuarantine quarantine() {
        return quarantine;
    }

    SipMetrics metrics() {
        return metrics;
    }

    DnsCache dns() {
        return dns;
    }

    /** From now on new INVITEs get 503 with Retry-After; calls in progress go on. */
    void drain() {
        draining = true;
    }

    /** INVITEs being routed now. */
    int inFlight() {
        return calls.size();
    }

    /**
     * Probes a destination with OPTIONS (RFC 3261 11) from the listener of its transport;
     * the probe ends at its final response, a transport error, or after {@code timeoutMs}.
     */
    CompletableFuture<Integer> probe(Destination destination, int timeoutMs) {
        Probe probe = new Probe(destination);
        try {
            Transport transport = destination.transport();
            SipProvider provider = outbound.get(transport);
            ListenAddress own = ownByTransport.get(transport);
            if (provider == null || own == null) {
                throw new SipException("no " + transport.token() + " listener to probe from");
            }
            SipURI target = addresses.createSipURI(destination.target().user(), destination.target().host());
            if (destination.target().port() != 0) {
                target.setPort(destination.target().port());
            }
            target.setSecure(destination.target().secure());
            if (transport != Transport.UDP && !destination.target().secure()) {
                target.setTransportParam(transport.token());
            }
            SipURI self = addresses.createSipURI("sipvane", own.host());
            self.setPort(own.port());
            List<ViaHeader> vias = new ArrayList<>();
            vias.add(headers.createViaHeader(own.bareHost(), own.port(), transport.token(), newBranch()));
            Request options = messages.createRequest(target, Request.OPTIONS, provider.getNewCallId(),
                    headers.createCSeqHeader(1L, Request.OPTIONS),
                    headers.createFromHeader(addresses.createAddress(self), Long.toHexString(ThreadLocalRandom.current().nextLong())),
                    headers.createToHeader(addresses.createAddress(target), null), vias, headers.createMaxForwardsHeader(70));
            ClientTransaction ct = provider.getNewClientTransaction(options);
            ct.setApplicationData(probe);
            probe.timer = timers.schedule(() -> probe.fail("no answer in " + timeoutMs + " ms"), timeoutMs);
            ct.sendRequest();
        } catch (SipException | java.text.ParseException | InvalidArgumentException | RuntimeException e) {
            probe.fail(e.toString());
        }
        return probe.result;
    }

    /** One OPTIONS probe in flight. */
    private static final class Probe {
        final Destination destination;
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        volatile java.util.concurrent.ScheduledFuture<?> timer;

        Probe(Destination destination) {
            this.destination = destination;
        }

        void answer(int code) {
            cancelTimer();
            result.complete(code);
        }

        void fail(String why) {
            cancelTimer();
            result.completeExceptionally(new java.io.IOException("probe of " + destination.source().uri() + ": " + why));
        }

        private void cancelTimer() {
            java.util.concurrent.ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /**
     * The header answering a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) challenge,
     * picking the strongest supported algorithm when several are offered; {@code null} when
     * none can be answered. The password only enters the digest computation.
     */
    javax.sip.header.Header authorization(Response challenge, String username, String password, SipURI requestUri)
            throws java.text.ParseException {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        ListIterator<?> it = challenge.getHeaders(proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        WWWAuthenticateHeader best = null;
        while (it.hasNext()) {
            WWWAuthenticateHeader c = (WWWAuthenticateHeader) it.next();
            if ("Digest".equalsIgnoreCase(c.getScheme()) && Digest.supports(c.getAlgorithm())
                    && (best == null || Digest.strength(c.getAlgorithm()) > Digest.strength(best.getAlgorithm()))) {
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        String qop = Digest.chooseQop(best.getQop());
        String uri = requestUri.toString();
        String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String nc = "00000001";
        javax.sip.header.AuthorizationHeader h = proxy
                ? headers.createProxyAuthorizationHeader("Digest") : headers.createAuthorizationHeader("Digest");
        h.setUsername(username);
        h.setRealm(best.getRealm());
        h.setNonce(best.getNonce());
        h.setURI(requestUri);
        if (best.getAlgorithm() != null) {
            h.setAlgorithm(best.getAlgorithm());
        }
        if (best.getOpaque() != null) {
            h.setOpaque(best.getOpaque());
        }
        if (qop != null) {
            h.setQop(qop);
            h.setCNonce(cnonce);
            h.setNonceCount(1);
        }
        h.setResponse(Digest.response(best.getAlgorithm(), username, best.getRealm(), password, Request.INVITE, uri,
                best.getNonce(), qop, nc, cnonce));
        return h;
    }

    /** Sends a CANCEL for a branch that has had a 1xx. */
    void sendCancel(Branch branch) {
        try {
            Request cancel = branch.transaction.createCancel();
            ClientTransaction ct = branch.provider.getNewClientTransaction(cancel);
            ct.setApplicationData(CLEANUP);
            ct.sendRequest();
        } catch (SipException | RuntimeException e) {
            LOG.debug("CANCEL towards {} not sent: {}", branch.destination, e.toString());
        }
    }

    /**
     * ACKs (and once, BYEs) a 2xx that came from a branch the call no longer wants, so that no
     * half-open call stays up at the callee.
     */
    void ackAndBye(Branch branch, Response ok) {
        try {
            Request ack = requestFor2xx(branch, ok, Request.ACK);
            branch.provider.sendRequest(ack);
            if (!branch.byeSent) {
                branch.byeSent = true;
                Request bye = requestFor2xx(branch, ok, Request.BYE);
                ClientTransaction ct = branch.provider.getNewClientTransaction(bye);
                ct.setApplicationData(CLEANUP);
                ct.sendRequest();
            }
        } catch (SipException | java.text.ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not clean up late 2xx from {}: {}", branch.destination, e.toString());
        }
    }

    private Request requestFor2xx(Branch branch, Response ok, String method)
            throws java.text.ParseException, InvalidArgumentException, SipException {
        ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
        URI target = contact != null ? (URI) contact.getAddress().getURI().clone()
                : (URI) branch.call.forwardedUri(branch).clone();
        Transport transport = branch.destination.transport();
        List<RouteHeader> routes = new ArrayList<>();
        ListIterator<?> rr = ok.getHeaders(RecordRouteHeader.NAME);
        while (rr.hasNext()) {
            RecordRouteHeader h = (RecordRouteHeader) rr.next();
            if (isOwn(h.getAddress().getURI())) {
                break; // entries below ours lead upstream
            }
            routes.add(0, headers.createRouteHeader((Address) h.getAddress().clone()));
        }
        if (routes.isEmpty() && target instanceof SipURI sip && sip.getTransportParam() == null
                && transport != Transport.UDP) {
            sip.setTransportParam(transport.token());
        }
        CSeqHeader cseq = (CSeqHeader) ok.getHeader(CSeqHeader.NAME);
        long seq = Request.ACK.equals(method) ? cseq.getSeqNumber() : cseq.getSeqNumber() + 1;
        List<ViaHeader> vias = new ArrayList<>();
        ListenAddress own = ownByTransport.get(transport);
        vias.add(headers.createViaHeader(own.bareHost(), own.port(), transport.token(), newBranch()));
        Request request = messages.createRequest(target, method,
                (CallIdHeader) ok.getHeader(CallIdHeader.NAME),
                headers.createCSeqHeader(seq, method),
                (FromHeader) ok.getHeader(FromHeader.NAME),
                (ToHeader) ok.getHeader(ToHeader.NAME),
                vias,
                headers.createMaxForwardsHeader(70));
        for (RouteHeader r : routes) {
            request.addHeader(r);
        }
        return request;
    }

    private static String peerKey(String transport, String host, int port) {
        return transport.toLowerCase(Locale.ROOT) + ":" + host + ":" + port;
    }

    private static String cancelKey(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return callId.getCallId() + "|" + via.getBranch();
    }

    /**
     * Relays the responses of one in-dialog request back to its server transaction.
     *
     * @param cancelKey for a re-INVITE, its key in {@code reinvites}; else null
     */
    record Relay(ServerTransaction upstream, ClientTransaction downstream, String cancelKey) {
        void relay(SipRouter router, Response response) throws SipException, InvalidArgumentException, java.text.ParseException {
            if (response.getStatusCode() == Response.TRYING) {
                return; // hop by hop: our server transaction sends its own
            }
            if (response.getStatusCode() >= 200) {
                forget(router);
            }
            Response out = (Response) response.clone();
            out.removeFirst(ViaHeader.NAME);
            upstream.sendResponse(out);
        }

        void cancel(SipRouter router) {
            try {
                Request cancel = downstream.createCancel();
                ClientTransaction ct = downstream.getRequest() == null ? null
                        : router.outboundFor(downstream).getNewClientTransaction(cancel);
                if (ct != null) {
                    ct.setApplicationData(CLEANUP);
                    ct.sendRequest();
                }
            } catch (SipException | RuntimeException e) {
                LOG.debug("CANCEL of re-INVITE not sent: {}", e.toString());
            }
        }

        private void forget(SipRouter router) {
            if (cancelKey != null) {
                router.reinvites.remove(cancelKey, this);
            }
        }

        void fail(SipRouter router, int code) {
            forget(router);
            try {
                upstream.sendResponse(router.messages.createResponse(code, upstream.getRequest()));
            } catch (SipException | InvalidArgumentException | java.text.ParseException | RuntimeException e) {
                LOG.debug("could not fail in-dialog {}: {}", upstream.getRequest().getMethod(), e.toString());
            }
        }
    }
}
