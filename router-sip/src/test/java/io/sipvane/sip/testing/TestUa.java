package io.sipvane.sip.testing;

import io.sipvane.sip.auth.Digest;
import io.sipvane.sip.stack.StackProperties;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A scriptable SIP user agent on its own JAIN-SIP stack, listening on UDP and TCP on one
 * loopback port: plays the caller (UAC) or a fake PBX (UAS) in tests.
 *
 * <p>As UAS it answers each INVITE with its {@link #script(int...)} (default 180 then 200;
 * a script ending on a 1xx holds the call until CANCEL), answers BYE, re-INVITE, UPDATE, INFO,
 * OPTIONS with 200 and CANCEL with 200 + 487. Every request it receives is queued in
 * {@link #requests}.
 */
public final class TestUa implements SipListener, AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    public final String name;
    /** The loopback address this UA listens on (127.0.0.1 unless started on another). */
    public final String host;
    public final int port;
    public final SipStack stack;
    public final SipProvider udp;
    public final SipProvider tcp;
    /** The TLS listener's provider, on {@link #tlsPort}; null for a UA without TLS. */
    public final SipProvider tls;
    public final int tlsPort;
    public final AddressFactory addresses;
    public final HeaderFactory headers;
    public final MessageFactory messages;
    public final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    public final AtomicInteger invites = new AtomicInteger();
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, ServerTransaction> pendingInvites = new ConcurrentHashMap<>();
    private final AtomicLong cseq = new AtomicLong(1);
    private volatile int[] script = {180, 200};
    /** Re-INVITEs ring until cancelled instead of being answered. */
    public volatile boolean holdReinvites;
    /** When set, INVITEs without valid credentials for this realm are challenged (digest). */
    public volatile String challengeRealm;
    public volatile String challengePassword;
    public volatile String challengeAlgorithm = "MD5";
    public volatile boolean proxyChallenge;
    public final AtomicInteger challenges = new AtomicInteger();
    public final AtomicInteger authorized = new AtomicInteger();

    private TestUa(String name, String host, int port) throws Exception {
        this(name, host, port, 0, null);
    }

    /**
     * How a TLS user agent proves itself and whom it trusts: PKCS#12 stores (JAIN-SIP's stock
     * TLS layer reads them), and whether its listener insists on a client certificate.
     */
    public record TlsIdentity(java.nio.file.Path keyStore, java.nio.file.Path trustStore, boolean requireClientCertificate) {
        public static TlsIdentity of(TestPki.Issued issued, TestPki trusted) {
            return new TlsIdentity(issued.keyStore(), trusted.trustStore, false);
        }

        public TlsIdentity requiringClientCertificates() {
            return new TlsIdentity(keyStore, trustStore, true);
        }
    }

    private TestUa(String name, String host, int port, int tlsPort, TlsIdentity identity) throws Exception {
        this.name = name;
        this.host = host;
        this.port = port;
        this.tlsPort = tlsPort;
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        java.util.Properties properties = StackProperties.create("test-" + name + "-" + NAMES.incrementAndGet());
        if (identity != null) {
            String password = new String(TestPki.PASSWORD);
            properties.setProperty("javax.net.ssl.keyStore", identity.keyStore().toString());
            properties.setProperty("javax.net.ssl.keyStorePassword", password);
            properties.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            properties.setProperty("javax.net.ssl.trustStore", identity.trustStore().toString());
            properties.setProperty("javax.net.ssl.trustStorePassword", password);
            properties.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE",
                    identity.requireClientCertificate() ? "Enabled" : "Disabled");
        }
        stack = factory.createSipStack(properties);
        try {
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messages = factory.createMessageFactory();
            ListeningPoint u = stack.createListeningPoint(host, port, "udp");
            ListeningPoint t = stack.createListeningPoint(host, port, "tcp");
            udp = stack.createSipProvider(u);
            tcp = stack.createSipProvider(t);
            udp.addSipListener(this);
            tcp.addSipListener(this);
            if (identity != null) {
                // JAIN-SIP's own defaults (TLS 1.0-1.2, anonymous and 3DES suites) are what a weak peer offers
                ((gov.nist.javax.sip.SipStackImpl) stack).setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, null, null);
                ((gov.nist.javax.sip.SipStackImpl) stack).setEnabledCipherSuites(
                        io.sipvane.sip.tls.TlsSuites.allowed(context.getSupportedSSLParameters().getCipherSuites()));
                tls = stack.createSipProvider(stack.createListeningPoint(host, tlsPort, "tls"));
                tls.addSipListener(this);
            } else {
                tls = null;
            }
        } catch (Exception | Error e) {
            stack.stop(); // the listening points bound before the failure go with it
            throw e;
        }
        stack.start();
    }

    /** A UA that also listens for TLS on {@code tlsPort} with {@code identity}. */
    public static TestUa startTls(String name, String host, TlsIdentity identity) throws Exception {
        return onFreePorts(() -> new TestUa(name, host, freePort(), freePort(), identity));
    }

    /**
     * Starts a UA on ports found free, and on others if one was taken before the stack bound it:
     * by another test's connection (an outgoing TCP connection takes an ephemeral port too),
     * or because the two ports of a TLS UA came out the same.
     */
    private static TestUa onFreePorts(java.util.concurrent.Callable<TestUa> start) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.call();
            } catch (javax.sip.InvalidArgumentException e) {
                if (attempt == 5 || !(e.getCause() instanceof java.net.BindException)) {
                    throw e;
                }
            }
        }
    }

    /** The provider of {@code transport}. */
    public SipProvider provider(String transport) {
        return switch (transport.toLowerCase(java.util.Locale.ROOT)) {
            case "tcp" -> tcp;
            case "tls" -> tls;
            default -> udp;
        };
    }

    /** The port this UA listens on for {@code transport}. */
    public int port(String transport) {
        return "tls".equalsIgnoreCase(transport) ? tlsPort : port;
    }

    /** This UA's address for {@code transport}, as a destination URI. */
    public String uri(String transport) {
        return "tls".equalsIgnoreCase(transport) ? "sip:" + host + ":" + tlsPort + ";transport=tls" : uri();
    }

    public static TestUa start(String name) throws Exception {
        return onFreePorts(() -> new TestUa(name, "127.0.0.1", freePort()));
    }

    /** A UA on a given port, for example to bring a stopped destination back. */
    public static TestUa startOn(String name, int port) throws Exception {
        return new TestUa(name, "127.0.0.1", port);
    }

    /** A UA on another loopback address, such as 127.0.0.2 (Linux answers on all of 127.0.0.0/8). */
    public static TestUa startOn(String name, String host, int port) throws Exception {
        return new TestUa(name, host, port);
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (it may be taken again before use; rare). */
    public static int freePort() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = s.getLocalPort();
                try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (java.net.SocketException e) {
                    // taken for UDP: try another
                }
            }
        }
        throw new IllegalStateException("no free port");
    }

    /** The responses this UA gives to the next INVITEs. */
    public TestUa script(int... codes) {
        this.script = codes.clone();
        return this;
    }

    public String uri() {
        return "sip:" + host + ":" + port;
    }

    /** Waits for the next request of this method; other methods are skipped. */
    public Request await(String method, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            Request r = requests.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (r == null) {
                return null;
            }
            if (r.getMethod().equals(method)) {
                return r;
            }
        }
    }

    // ------------------------------------------------------------------ UAC

    /** Sends an INVITE for {@code requestUri} to the router at {@code routerPort} over {@code transport}. */
    public Call invite(String requestUri, int routerPort, String transport) throws Exception {
        return request(Request.INVITE, requestUri, routerPort, transport, 70);
    }

    /** Sends an out-of-dialog request through the router (a pre-loaded Route to it). */
    public Call request(String method, String requestUri, int routerPort, String transport, int maxForwards) throws Exception {
        URI ruri = addresses.createURI(requestUri);
        SipProvider provider = provider(transport);
        int port = port(transport);
        CallIdHeader callId = provider.getNewCallId();
        Address from = addresses.createAddress("sip:caller@" + host + ":" + port);
        Address to = addresses.createAddress(requestUri);
        List<ViaHeader> vias = new ArrayList<>();
        vias.add(headers.createViaHeader(host, port, transport, null));
        Request invite = messages.createRequest(ruri, method, callId,
                headers.createCSeqHeader(cseq.getAndIncrement(), method),
                headers.createFromHeader(from, "f" + System.nanoTime()),
                headers.createToHeader(to, null), vias, headers.createMaxForwardsHeader(maxForwards));
        SipURI contact = addresses.createSipURI("caller", host);
        contact.setPort(port);
        contact.setTransportParam(transport);
        invite.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        SipURI route = addresses.createSipURI(null, "127.0.0.1");
        route.setPort(routerPort);
        route.setLrParam();
        route.setTransportParam(transport);
        invite.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        return send(invite, provider);
    }

    public Call send(Request request, SipProvider provider) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(request);
        Call call = new Call(this, ct, request, provider);
        ct.setApplicationData(call);
        calls.putIfAbsent(((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(), call);
        ct.sendRequest();
        return call;
    }

    /** A request sent by this UA and what came back. */
    public static final class Call {
        public final TestUa ua;
        public final ClientTransaction ct;
        public final Request request;
        public final SipProvider provider;
        public final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        public volatile Response answer;

        Call(TestUa ua, ClientTransaction ct, Request request, SipProvider provider) {
            this.ua = ua;
            this.ct = ct;
            this.request = request;
            this.provider = provider;
        }

        /** The next response with a code >= {@code minCode}, or null after the timeout. */
        public Response await(int minCode, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                Response r = responses.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null || r.getStatusCode() >= minCode) {
                    return r;
                }
            }
        }

        public Response awaitFinal() throws InterruptedException {
            return await(200, 20_000);
        }

        public void cancel() throws Exception {
            Request cancel = ct.createCancel();
            ClientTransaction cct = provider.getNewClientTransaction(cancel);
            cct.sendRequest();
        }

        /** Sends an in-dialog request (BYE, INVITE, ...) along the route set of the 2xx. */
        public Call inDialog(String method) throws Exception {
            Request r = ua.dialogRequest(answer, method, ua.cseq.getAndIncrement() + 100);
            return ua.send(r, provider);
        }
    }

    /** A BYE from this UA as the callee of {@code invite} (which it answered), along the Record-Route. */
    public Call byeAsCallee(Request invite, String transport) throws Exception {
        ContactHeader callerContact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        FromHeader from = headers.createFromHeader(((ToHeader) invite.getHeader(ToHeader.NAME)).getAddress(), name);
        FromHeader caller = (FromHeader) invite.getHeader(FromHeader.NAME);
        ToHeader to = headers.createToHeader(caller.getAddress(), caller.getTag());
        List<ViaHeader> vias = new ArrayList<>();
        vias.add(headers.createViaHeader(host, port(transport), transport, null));
        Request bye = messages.createRequest((URI) callerContact.getAddress().getURI().clone(), Request.BYE,
                (CallIdHeader) invite.getHeader(CallIdHeader.NAME), headers.createCSeqHeader(1, Request.BYE),
                from, to, vias, headers.createMaxForwardsHeader(70));
        ListIterator<?> rr = invite.getHeaders(RecordRouteHeader.NAME);
        while (rr.hasNext()) {
            bye.addHeader(headers.createRouteHeader(((RecordRouteHeader) rr.next()).getAddress()));
        }
        return send(bye, provider(transport));
    }

    public Request dialogRequest(Response ok, String method, long seq) throws Exception {
        ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
        List<ViaHeader> vias = new ArrayList<>();
        CSeqHeader invCseq = (CSeqHeader) ok.getHeader(CSeqHeader.NAME);
        String transport = ((ViaHeader) ok.getHeader(ViaHeader.NAME)).getTransport();
        vias.add(headers.createViaHeader(host, port(transport), transport, null));
        Request r = messages.createRequest((URI) contact.getAddress().getURI().clone(), method,
                (CallIdHeader) ok.getHeader(CallIdHeader.NAME),
                headers.createCSeqHeader(Request.ACK.equals(method) ? invCseq.getSeqNumber() : seq, method),
                (FromHeader) ok.getHeader(FromHeader.NAME), (ToHeader) ok.getHeader(ToHeader.NAME),
                vias, headers.createMaxForwardsHeader(70));
        List<RouteHeader> routes = new ArrayList<>();
        ListIterator<?> rr = ok.getHeaders(RecordRouteHeader.NAME);
        while (rr.hasNext()) {
            routes.add(0, headers.createRouteHeader(((RecordRouteHeader) rr.next()).getAddress()));
        }
        for (RouteHeader route : routes) {
            r.addHeader(route);
        }
        return r;
    }

    // ------------------------------------------------------------------ listener

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        requests.add(request);
        SipProvider provider = (SipProvider) event.getSource();
        try {
            switch (request.getMethod()) {
                case Request.ACK -> { }
                case Request.INVITE -> {
                    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
                    ServerTransaction st = serverTx(event, provider);
                    if (st == null) {
                        return;
                    }
                    if (to.getTag() != null) {
                        if (holdReinvites) {
                            pendingInvites.put(key(request), st);
                            st.sendResponse(answer(request, 180));
                        } else {
                            st.sendResponse(answer(request, 200));
                        }
                        return;
                    }
                    if (challengeRealm != null && !authorized(request, st)) {
                        return;
                    }
                    invites.incrementAndGet();
                    pendingInvites.put(key(request), st);
                    int[] codes = script;
                    boolean provisionalSent = false;
                    for (int code : codes) {
                        if (code >= 200 && provisionalSent) {
                            // a real callee rings before it answers; sent at once, the two responses
                            // could overtake each other in the router's concurrent listener
                            delays.schedule(() -> sendFinal(st, request, code), 150, TimeUnit.MILLISECONDS);
                            break;
                        }
                        if (code >= 200) {
                            pendingInvites.remove(key(request));
                        }
                        st.sendResponse(answer(request, code));
                        provisionalSent |= code < 200;
                    }
                }
                case Request.CANCEL -> {
                    ServerTransaction st = serverTx(event, provider);
                    if (st == null) {
                        return;
                    }
                    st.sendResponse(messages.createResponse(200, request));
                    ServerTransaction inv = pendingInvites.remove(key(request));
                    if (inv != null) {
                        inv.sendResponse(answer(inv.getRequest(), 487));
                    }
                }
                default -> {
                    ServerTransaction st = serverTx(event, provider);
                    if (st != null) {
                        st.sendResponse(messages.createResponse(200, request));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e, e);
        }
    }

    /** Challenges an INVITE without credentials (401/407), refuses wrong ones (403). */
    private boolean authorized(Request request, ServerTransaction st) throws Exception {
        javax.sip.header.AuthorizationHeader auth = (javax.sip.header.AuthorizationHeader) request.getHeader(
                proxyChallenge ? javax.sip.header.ProxyAuthorizationHeader.NAME : javax.sip.header.AuthorizationHeader.NAME);
        if (auth == null) {
            challenges.incrementAndGet();
            Response r = messages.createResponse(proxyChallenge ? 407 : 401, request);
            javax.sip.header.WWWAuthenticateHeader c = proxyChallenge
                    ? headers.createProxyAuthenticateHeader("Digest") : headers.createWWWAuthenticateHeader("Digest");
            c.setRealm(challengeRealm);
            c.setNonce("n" + Long.toHexString(System.nanoTime()));
            c.setAlgorithm(challengeAlgorithm);
            c.setQop("auth");
            c.setOpaque("opaque-1");
            r.addHeader(c);
            st.sendResponse(r);
            return false;
        }
        String expected = Digest.response(auth.getAlgorithm(), auth.getUsername(), auth.getRealm(), challengePassword,
                request.getMethod(), auth.getURI().toString(), auth.getNonce(), auth.getQop(),
                String.format("%08x", auth.getNonceCount()), auth.getCNonce());
        if (!expected.equals(auth.getResponse()) || !"opaque-1".equals(auth.getOpaque())) {
            st.sendResponse(messages.createResponse(403, request));
            return false;
        }
        authorized.incrementAndGet();
        return true;
    }

    /** Answers every INVITE held on a 1xx (a {@link #script} ending on one) with {@code code}. */
    public void answerHeld(int code) {
        for (ServerTransaction st : List.copyOf(pendingInvites.values())) {
            sendFinal(st, st.getRequest(), code);
        }
    }

    private void sendFinal(ServerTransaction st, Request request, int code) {
        if (pendingInvites.remove(key(request)) == null) {
            return; // cancelled meanwhile
        }
        try {
            st.sendResponse(answer(request, code));
        } catch (Exception e) {
            // the transaction may have ended (CANCEL); nothing to do in a test peer
        }
    }

    private static String key(Request r) {
        return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId() + "|"
                + ((ViaHeader) r.getHeader(ViaHeader.NAME)).getBranch();
    }

    private static ServerTransaction serverTx(RequestEvent event, SipProvider provider) throws Exception {
        if (event.getServerTransaction() != null) {
            return event.getServerTransaction();
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        }
    }

    /** A response to an INVITE as a UAS gives it: To tag, Contact, Record-Route echoed. */
    public Response answer(Request request, int code) throws Exception {
        Response r = messages.createResponse(code, request);
        if (code > 100) {
            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(name);
        }
        if (code > 100 && code < 300) {
            ListIterator<?> rr = request.getHeaders(RecordRouteHeader.NAME);
            while (rr.hasNext()) {
                r.addHeader((RecordRouteHeader) rr.next());
            }
            SipURI contact = addresses.createSipURI("pbx", host);
            String transport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport();
            contact.setPort(port(transport));
            contact.setTransportParam(transport.toLowerCase());
            r.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        }
        return r;
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        try {
            ClientTransaction ct = event.getClientTransaction();
            Call call = ct != null ? (Call) ct.getApplicationData()
                    : calls.get(((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId());
            if (call == null) {
                return;
            }
            CSeqHeader cseqHeader = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
            boolean invite2xx = Request.INVITE.equals(cseqHeader.getMethod()) && response.getStatusCode() / 100 == 2;
            if (invite2xx) {
                // ACK every 2xx, retransmissions included
                call.provider.sendRequest(dialogRequest(response, Request.ACK, 0));
            }
            if (ct != null && ct.getApplicationData() == call) {
                if (invite2xx) {
                    call.answer = response;
                }
                call.responses.add(response);
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e, e);
        }
    }

    @Override public void processTimeout(TimeoutEvent event) { }
    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }

    @Override
    public void close() {
        delays.shutdownNow();
        // stopping a stack takes about a second; its port is never reused by a later test
        // (ports are picked free each time), so it may finish in the background
        Thread stopper = new Thread(stack::stop, "stop-" + name);
        stopper.setDaemon(true);
        stopper.start();
    }
}
