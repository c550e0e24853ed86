package io.sipvane.sip;

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
import io.sipvane.core.store.ConfigStore;
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

    /** Weighted draws on the listener threads without contention on one shared seed. */
    private static final RandomGenerator THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final ConfigStore store;
    private final PrometheusMeterRegistry registry;
    private final SipvaneServer sip;
    private final AdminServer admin;
    private volatile boolean ready;
    private int adminPort;

    public Sipvane(ConfigStore store) {
        this.store = store;
        SipvaneConfig config = store.current();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.sip = new SipvaneServer(config, store.table(), HealthView.ALL_UP, new PassiveQuarantine(config.health()),
                THREAD_LOCAL_RANDOM);
        this.admin = new AdminServer(config.admin(), store, registry, () -> ready);
    }

    /** Binds SIP, then the API, then starts watching the config file. */
    public void start() throws SipException, IOException, InterruptedException {
        sip.start();
        try {
            adminPort = admin.start();
            store.watch();
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
        ready = true;
        LOG.info("sipvane ready: config {}", store.file());
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

    public void stop() {
        ready = false;
        admin.stop();
        sip.stop();
        store.close();
    }

    @Override
    public void close() {
        stop();
    }
}
