package io.sipvane.sip;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.core.config.CaptureSettings;
import io.sipvane.sip.capture.HepCapture;
import io.sipvane.sip.capture.MessageTap;
import io.sipvane.sip.capture.SipTrace;
import io.sipvane.sip.dialog.AcceptedInvites;
import io.sipvane.sip.dns.DnsCache;
import io.sipvane.sip.health.OptionsProber;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.message.Outbound;
import io.sipvane.sip.message.RouteToken;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.metrics.CallJournal;
import io.sipvane.sip.metrics.SipMetrics;
import io.sipvane.sip.proxy.CallContext;
import io.sipvane.sip.proxy.Proxy;
import io.sipvane.sip.proxy.ProxyTimers;
import io.sipvane.sip.stack.LocalAddresses;
import io.sipvane.sip.stack.MalformedInput;
import io.sipvane.sip.stack.ProxyStack;
import io.sipvane.sip.tls.RouterTls;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import javax.sip.SipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP side of the router: one JAIN-SIP stack with a listener per {@code sip.listen}
 * entry, all feeding one {@link Proxy} that routes from the given {@link RoutingTable}.
 * The library's entry point; the application wires it by constructor.
 */
public final class SipServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final LocalAddresses local;
    private final RoutingTable table;
    private final HealthView health;
    private final PassiveQuarantine quarantine;
    private final RandomGenerator random;
    private final long timerCMs;
    private final SipMetrics metrics;
    private final DnsCache dns;
    private final RouteToken tokens;
    private final CaptureSettings capture;
    private final io.sipvane.core.config.TlsSettings.ClientAuth clientAuth;
    private volatile RouterTls tls;
    private HepCapture hep;
    private ProxyStack stack;
    private volatile ProxyTimers timers;
    private volatile java.util.concurrent.ExecutorService connector;
    private volatile Proxy proxy;
    private volatile OptionsProber prober;

    /**
     * @param config     the startup config: its {@code sip.listen} addresses are bound, its
     *                   {@code dns} lifetimes kept
     * @param table      the live routing table (the ACL and routes are read from its current snapshot)
     * @param health     which destinations are up (probes); combined with {@code quarantine}
     * @param quarantine passive health fed by real calls
     * @param random     draws the weighted order of each call
     * @param registry   where the call metrics go
     */
    public SipServer(SipvaneConfig config, RoutingTable table, HealthView health, PassiveQuarantine quarantine,
                     RandomGenerator random, MeterRegistry registry) {
        this(config, table, health, quarantine, random, CallContext.TIMER_C_MS, registry, java.net.InetAddress::getByName);
    }

    /** As above with another Timer C and name resolver, for tests that must not wait minutes or query real DNS. */
    public SipServer(SipvaneConfig config, RoutingTable table, HealthView health, PassiveQuarantine quarantine,
                     RandomGenerator random, long timerCMs, MeterRegistry registry, DnsCache.Resolver resolver) {
        this(config, table, health, quarantine, random, timerCMs, registry, resolver, null);
    }

    /** As above, keeping finished calls in {@code journal} (null: none) for the console. */
    public SipServer(SipvaneConfig config, RoutingTable table, HealthView health, PassiveQuarantine quarantine,
                     RandomGenerator random, MeterRegistry registry, CallJournal journal) {
        this(config, table, health, quarantine, random, CallContext.TIMER_C_MS, registry, java.net.InetAddress::getByName,
                journal);
    }

    private SipServer(SipvaneConfig config, RoutingTable table, HealthView health, PassiveQuarantine quarantine,
                      RandomGenerator random, long timerCMs, MeterRegistry registry, DnsCache.Resolver resolver,
                      CallJournal journal) {
        this.local = new LocalAddresses(config.sip().listen());
        this.table = table;
        this.health = health.and(quarantine);
        // the first pick of a call reads prepared tables: health changes rebuild them, calls never wait
        table.useHealth(this.health);
        this.quarantine = quarantine;
        this.random = random;
        this.timerCMs = timerCMs;
        this.metrics = new SipMetrics(registry, journal);
        this.tokens = RouteToken.fromEnvironment(config.sip().routeSecretEnv());
        this.capture = config.capture();
        this.clientAuth = config.tls().clientAuth();
        // a change of the tls section (API write, reload, SIGHUP) re-reads the files, once SIP runs
        table.onPublish(snapshot -> reloadTls(snapshot.config().tls()));
        DnsCache.configureJvmCache(config.dns());
        this.dns = new DnsCache(config.dns(), resolver, host -> table.current().config().originationUris().stream()
                .filter(u -> u.target().host().equalsIgnoreCase(host))
                .map(u -> u.id() + " \"" + u.name() + "\" " + u.uri()).collect(java.util.stream.Collectors.joining(", ")));
    }

    /** Binds every listener and starts routing; errors name the listener that failed. */
    public synchronized void start() throws SipException {
        if (stack != null) {
            throw new IllegalStateException("already started");
        }
        String name = "sipvane-" + INSTANCES.incrementAndGet();
        try {
            try {
                tls = new RouterTls(table.current().config().tls());
            } catch (java.io.IOException e) {
                throw new SipException("cannot read the TLS files: " + e.getMessage(), e);
            }
            stack = new ProxyStack(name, local, dns::cached, new MalformedInput(metrics, Ticker.systemTicker()),
                    Ticker.systemTicker(), tls, clientAuth);
            List<MessageTap> taps = new java.util.ArrayList<>(List.of(new SipTrace()));
            if (capture.enabled()) {
                hep = new HepCapture(capture);
                taps.add(hep);
            }
            stack.tap(taps);
            stack.bind();
            timers = new ProxyTimers(name + "-timer");
            connector = Connector.create(name + "-connect");
            SipMessages messages = new SipMessages(stack.addresses(), stack.headers(), stack.messages());
            Outbound outbound = new Outbound(stack, dns::cached);
            BranchIds branchIds = new BranchIds();
            Proxy proxy = new Proxy(messages, outbound, branchIds, tokens, dns, table, health, quarantine, random,
                    timers, timerCMs, metrics, connector, new AcceptedInvites());
            this.prober = new OptionsProber(messages, outbound, branchIds);
            stack.start(proxy.valvePath(), proxy.listener());
            this.proxy = proxy;
            scheduleTlsCheck();
        } catch (java.io.IOException e) {
            stop();
            throw new SipException("cannot capture to " + capture.hep() + " (capture.hep): " + e.getMessage(), e);
        } catch (SipException | RuntimeException e) {
            stop();
            throw e instanceof SipException se ? se : new SipException("SIP failed to start: " + e.getMessage(), e);
        }
    }

    /** How often the TLS files are checked for a renewal in place. */
    static final long TLS_FILE_CHECK_MS = 5_000;

    private void scheduleTlsCheck() {
        ProxyTimers t = timers;
        if (t != null) {
            t.schedule(() -> {
                try {
                    java.util.concurrent.ExecutorService files = connector;
                    if (files != null) {
                        // file I/O stays off the timer thread that runs the calls' timers
                        files.execute(this::reloadTlsFiles);
                        scheduleTlsCheck();
                    }
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // SIP is stopping: no more checks
                }
            }, TLS_FILE_CHECK_MS);
        }
    }

    /** Applies a changed {@code tls:} section, or re-read files; a failure keeps the running certificates. */
    private void reloadTls(io.sipvane.core.config.TlsSettings settings) {
        RouterTls t = tls;
        if (t != null) {
            t.reload(settings);
        }
    }

    /**
     * Re-reads the TLS files if one changed (also checked every {@value #TLS_FILE_CHECK_MS} ms):
     * new connections use the new certificates, open ones keep theirs.
     *
     * @return whether new certificates are in use
     */
    public boolean reloadTlsFiles() {
        RouterTls t = tls;
        return t != null && t.reloadIfChanged();
    }

    /** Stops the stack and the timers; idempotent. */
    public synchronized void stop() {
        if (connector != null) {
            connector.shutdownNow();
            connector = null;
        }
        if (timers != null) {
            timers.close();
            timers = null;
        }
        if (stack != null) {
            stack.close();
            stack = null;
            LOG.info("SIP stopped");
        }
        proxy = null;
        if (hep != null) {
            hep.close();
            hep = null;
        }
        dns.close();
    }

    @Override
    public void close() {
        stop();
    }

    public List<ListenAddress> listen() {
        return local.all();
    }

    public SipMetrics metrics() {
        return metrics;
    }

    /** Whether the listeners are bound and routing. */
    public boolean isRunning() {
        return proxy != null;
    }

    /** New INVITEs get 503 with Retry-After from now on; calls in progress go on. */
    public void drain() {
        Proxy p = proxy;
        if (p != null) {
            p.drain();
        }
    }

    /** INVITEs being routed now. */
    public int inFlight() {
        Proxy p = proxy;
        return p == null ? 0 : p.inFlight();
    }

    /**
     * Sends an OPTIONS probe; completes with the final response code, or exceptionally on a
     * transport error or when nothing answers within {@code timeoutMs}.
     */
    public CompletableFuture<Integer> probe(Destination destination, int timeoutMs) {
        OptionsProber p = prober;
        if (p == null || proxy == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("SIP is not running"));
        }
        return p.probe(destination, timeoutMs);
    }
}
