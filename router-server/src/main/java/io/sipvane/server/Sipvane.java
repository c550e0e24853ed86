package io.sipvane.server;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sipvane.admin.AdminServer;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.health.ProbeHealth;
import java.util.concurrent.TimeUnit;
import io.sipvane.core.store.ConfigStore;
import io.sipvane.sip.SipServer;
import io.sipvane.sip.health.LastProbes;
import io.sipvane.sip.health.Prober;
import io.sipvane.sip.metrics.CallJournal;
import java.time.Clock;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import javax.sip.SipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole router, wired by constructor: the config store (file, routing table, hot
 * reload), one Prometheus registry, the SIP server routing from the store's table, and the
 * admin API writing through the store. Started by {@link Main}; stopped in reverse order.
 */
public final class Sipvane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sipvane.class);
    /** After the last call in progress ended, how long in-dialog requests are still relayed on a stop. */
    static final long SETTLE_MS = 1000;

    /** Weighted draws on the listener threads without contention on one shared seed. */
    private static final RandomGenerator THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final ConfigStore store;
    private final PrometheusMeterRegistry registry;
    private final SipServer sip;
    private final AdminServer admin;
    private final ProbeHealth probeHealth;
    private final PassiveQuarantine quarantine;
    private final RestartPending restartPending;
    private final UnusedUriWarning unusedWarning = new UnusedUriWarning();
    /** Recent calls and per-URI traffic for the console, fed by the SIP side. */
    private final CallJournal journal;
    /** Each destination's last probe, for the console's health column. */
    private final LastProbes lastProbes;
    private Prober prober;
    private volatile boolean ready;
    private int adminPort;

    public Sipvane(ConfigStore store) {
        this(store, Clock.systemUTC());
    }

    /** @param clock stamps API writes, recent calls and probes, and expires console sessions */
    public Sipvane(ConfigStore store, Clock clock) {
        this.store = store;
        SipvaneConfig config = store.current();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (config.instance() != null) {
            // routers of a cluster share tenant data, not health or calls: tell their series apart
            registry.config().commonTags("instance", config.instance());
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.probeHealth = new ProbeHealth(config.health().downAfter(), config.health().upAfter());
        this.quarantine = new PassiveQuarantine(config.health());
        this.journal = new CallJournal(clock);
        this.lastProbes = new LastProbes(clock, System::nanoTime);
        this.sip = new SipServer(config, store.table(), probeHealth, quarantine, THREAD_LOCAL_RANDOM, registry, journal);
        this.restartPending = new RestartPending(config, registry);
        this.admin = new AdminServer(config.admin(), store, registry, () -> ready, this::state, clock,
                new ConsoleSource(store, this::state, quarantine, lastProbes, journal));
    }

    /** Binds SIP, then the API, then starts watching the config file. */
    public void start() throws SipException, IOException, InterruptedException {
        sip.start();
        try {
            HealthView up = probeHealth.and(quarantine);
            sip.metrics().destinations(store.table().current(), up);
            unusedWarning.published(store.table().current());
            store.table().onPublish(snapshot -> {
                sip.metrics().destinations(snapshot, up);
                forgetDeletedProbes(snapshot.config());
                restartPending.published(snapshot.config());
                unusedWarning.published(snapshot);
            });
            prober = new Prober(store.table(), probeHealth, lastProbes.recording(sip::probe), sip.metrics());
            prober.start();
            adminPort = admin.start();
            store.watch();
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
        ready = true;
        LOG.info("sipvane ready: {} ({})", store.describe(), BuildInfo.load());
    }

    /**
     * Re-reads the store now (SIGHUP): the same path as an edit of the file, so a valid
     * config is applied and an invalid one is logged while the running one stays; and the
     * TLS files, so a renewed certificate is used by the next connection.
     */
    public java.util.concurrent.CompletableFuture<Boolean> reload() {
        LOG.info("reloading {} (SIGHUP)", store.describe());
        // renewed certificates are picked up within seconds anyway; SIGHUP makes it now
        sip.reloadTlsFiles();
        return store.reload().whenComplete((changed, failure) -> {
            if (failure != null) {
                LOG.warn("reload failed: {}; the running configuration stays", failure.toString());
            } else if (!changed) {
                LOG.info("reload: no change");
            }
        });
    }

    /** Drops the last probes of deleted URIs (on config publications only: health rebuilds do not publish). */
    private void forgetDeletedProbes(SipvaneConfig config) {
        lastProbes.retain(config.originationUris().stream().map(u -> u.id()).collect(java.util.stream.Collectors.toSet()));
    }

    /** The port the admin API listens on (useful when configured as 0). */
    public int adminPort() {
        return adminPort;
    }

    public ConfigStore store() {
        return store;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The API's {@code state} of a URI: {@code unused} when no trunk routes to it, {@code down} while probes or the passive quarantine
     * take it out of new plans, else what probing says ({@code up}, or {@code probing} before
     * its first answer); {@code up} when probing is off.
     */
    String state(java.util.UUID id) {
        if (store.table().current().unused().contains(id)) {
            return "unused";
        }
        if (!quarantine.isUp(id) || !probeHealth.isUp(id)) {
            return "down";
        }
        return store.current().health().probing() ? probeHealth.state(id).token() : "up";
    }

    /** What probing says of each destination. */
    public ProbeHealth probeHealth() {
        return probeHealth;
    }

    /**
     * Graceful stop: new INVITEs get 503 with Retry-After, calls in progress have
     * {@code shutdown.grace_ms} to finish, then the API, SIP and the store stop (every
     * acknowledged write is already on disk).
     */
    public void stop() {
        ready = false;
        sip.drain();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(store.current().shutdown().graceMs());
        waitWhile(() -> sip.inFlight() > 0, deadline);
        if (sip.inFlight() > 0) {
            LOG.warn("stopping with {} calls still in progress after the grace period", sip.inFlight());
        } else {
            // the calls answered last still need their ACK and first in-dialog requests relayed:
            // linger a little (within the grace period) rather than drop them on the floor
            long settle = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS));
            waitWhile(() -> true, settle);
        }
        if (prober != null) {
            prober.close();
        }
        admin.stop();
        sip.stop();
        store.close();
    }

    private static void waitWhile(java.util.function.BooleanSupplier condition, long deadlineNanos) {
        while (condition.getAsBoolean() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether SIP is bound and the API answers. */
    public boolean isReady() {
        return ready;
    }

    SipServer sip() {
        return sip;
    }

    @Override
    public void close() {
        stop();
    }
}
