package io.sipvane.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipvane.core.config.RestartSettings;
import io.sipvane.core.config.SipvaneConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when the config in force is not the one on disk: a reload or API write
 * that changes a restart-only setting ({@link RestartSettings}) publishes its routing data at
 * once, but the sockets, thresholds and DNS lifetimes the router started with stay until a
 * restart. Each new difference is logged once at WARN naming the keys, and
 * {@code sipvane_config_restart_pending} is 1 while any remains.
 */
final class RestartPending {
    private static final Logger LOG = LoggerFactory.getLogger(RestartPending.class);

    private final RestartSettings running;
    /** Keys that differ now; written by the store's publishing thread only. */
    private volatile List<String> pending = List.of();

    RestartPending(SipvaneConfig startup, MeterRegistry registry) {
        this.running = RestartSettings.of(startup);
        Gauge.builder("sipvane.config.restart.pending", () -> pending.isEmpty() ? 0 : 1)
                .description("1 when the config file changes settings that only a restart applies")
                .register(registry);
    }

    /** Compares a newly published config with the settings in force. */
    void published(SipvaneConfig config) {
        List<String> changed = running.changedKeys(RestartSettings.of(config));
        if (!changed.equals(pending)) {
            if (changed.isEmpty()) {
                LOG.info("the config's restart-only settings match the running ones again");
            } else {
                LOG.warn("config changes {}: not applied until sipvane restarts (the running values stay; "
                        + "the routing data of the same change is applied)", String.join(", ", changed));
            }
        }
        pending = changed;
    }

    /** The restart-only keys whose file value is not in force. */
    List<String> keys() {
        return pending;
    }
}
