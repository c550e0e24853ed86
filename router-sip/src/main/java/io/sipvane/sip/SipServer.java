package io.sipvane.sip;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.routing.RoutingTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipvane.core.routing.Destination;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running router: one JAIN-SIP stack with a listener per {@code sip.listen} entry, all
 * feeding one {@link SipRouter}. Wired by constructor; {@link Main} (and later the admin API)
 * share the same {@link RoutingTable} and health view.
 */
public final class SipvaneServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipvaneServer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final List<ListenAddress> listen;
    private final RoutingTable table;
    private final HealthView health;
    private final PassiveQuarantine quarantine;
    private final RandomGenerator random;
    private final long timerCMs;
    private final SipMetrics metrics;
    private final io.sipvane.core.config.DnsSettings dnsSettings;
    private DnsCache dns;
    private String stackName;
    private DnsCache.Resolver resolver = java.net.InetAddress::getByName;
    private volatile SipRouter router;
    private SipStack stack;
    private ProxyTimers timers;

    /**
     * @param config     the startup config: its {@code sip.listen} addresses are bound
     * @param table      the live routing table (the ACL and routes are read from its current snapshot)
     * @param health     which destinations are up (probes); combined with {@code quarantine}
     * @param quarantine passive health fed by real calls
     * @param random     draws the weighted order of each call
     * @param registry   where the call metrics go
     */
    public SipvaneServer(SipvaneConfig config, RoutingTable table, HealthView health, PassiveQuarantine quarantine,
                         RandomGenerator random, MeterRegistry registry) {
        this(config, table, health, quarantine, random, SipRouter.TIMER_C_MS, registry);
    }

    /** As above with another Timer C, so that tests need not wait three minutes. */
    SipvaneServer(SipvaneConfig config, RoutingTable table, HealthView health, PassiveQuarantine quarantine,
                  RandomGenerator random, long timerCMs, MeterRegistry registry) {
        this.timerCMs = timerCMs;
        this.metrics = new SipMetrics(registry);
        this.dnsSettings = config.dns();
        this.listen = List.copyOf(config.sip().listen());
        this.table = table;
        this.health = health.and(quarantine);
        this.quarantine = quarantine;
        this.random = random;
    }

    /** Binds every listener and starts routing. */
    public synchronized void start() throws SipException {
        if (stack != null) {
            throw new IllegalStateException("already started");
        }
        String name = "sipvane-" + INSTANCES.incrementAndGet();
        stackName = name;
        Properties props = StackProperties.create(name);
        // messages that need no transaction are relayed before the stack's transaction layer
        props.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", StatelessRelayValve.class.getName());
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        timers = new ProxyTimers(name + "-timer");
        try {
            stack = factory.createSipStack(props);
            DnsCache.configureJvmCache(dnsSettings);
            dns = new DnsCache(dnsSettings, resolver);
            DnsHopRouter.register(name, dns);
            SipRouter router = new SipRouter(factory.createAddressFactory(), factory.createHeaderFactory(),
                    factory.createMessageFactory(), timers, table, health, quarantine, random, timerCMs, metrics, dns);
            this.router = router;
            StatelessRelayValve.register(name, router);
            // one provider per host:port carrying all its transports, so that a request can be
            // answered whatever transport its Via names among those we listen on there
            Map<String, List<ListenAddress>> byHostPort = new LinkedHashMap<>();
            for (ListenAddress address : listen) {
                byHostPort.computeIfAbsent(address.bareHost() + "|" + address.port(), k -> new ArrayList<>()).add(address);
            }
            List<SipProvider> providers = new ArrayList<>();
            for (List<ListenAddress> group : byHostPort.values()) {
                SipProvider provider = null;
                for (ListenAddress address : group) {
                    ListeningPoint lp = stack.createListeningPoint(address.bareHost(), address.port(),
                            address.transport().token());
                    if (provider == null) {
                        provider = stack.createSipProvider(lp);
                    } else {
                        provider.addListeningPoint(lp);
                    }
                }
                router.addProvider(group, provider);
                providers.add(provider);
            }
            for (SipProvider provider : providers) {
                provider.addSipListener(router);
            }
            stack.start();
        } catch (SipException | RuntimeException e) {
            stop();
            throw e instanceof SipException se ? se : new SipException("SIP stack failed to start", e);
        } catch (Exception e) {
            stop();
            throw new SipException("SIP listener failed: " + e.getMessage(), e);
        }
        for (ListenAddress address : listen) {
            LOG.info("SIP listening on {}", address);
        }
    }

    /** Stops the stack and the timers; idempotent. */
    public synchronized void stop() {
        if (timers != null) {
            timers.close();
            timers = null;
        }
        if (stack != null) {
            stack.stop();
            stack = null;
            LOG.info("SIP stopped");
        }
        if (stackName != null) {
            StatelessRelayValve.unregister(stackName);
        }
        if (dns != null) {
            DnsHopRouter.unregister(stackName);
            dns.close();
            dns = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public List<ListenAddress> listen() {
        return listen;
    }

    SipMetrics metrics() {
        return metrics;
    }

    /** Another name resolver, for tests that must not query real DNS; before {@link #start}. */
    void resolver(DnsCache.Resolver resolver) {
        this.resolver = resolver;
    }

    /** Whether the listeners are bound and routing. */
    public boolean isRunning() {
        return stack != null;
    }

    /** New INVITEs get 503 with Retry-After from now on; calls in progress go on. */
    public void drain() {
        SipRouter r = router;
        if (r != null) {
            r.drain();
        }
    }

    /** INVITEs being routed now. */
    public int inFlight() {
        SipRouter r = router;
        return r == null ? 0 : r.inFlight();
    }

    /**
     * Sends an OPTIONS probe; completes with the final response code, or exceptionally on a
     * transport error or when nothing answers within {@code timeoutMs}.
     */
    public CompletableFuture<Integer> probe(Destination destination, int timeoutMs) {
        SipRouter r = router;
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("SIP is not running"));
        }
        return r.probe(destination, timeoutMs);
    }
}
