package io.sipvane.admin;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sipvane.core.config.AdminSettings;
import io.sipvane.core.store.ConfigStore;
import java.nio.file.Path;

/** A store and admin server in a process of its own, to be killed by {@link CrashTest}. */
public final class CrashTarget {
    private CrashTarget() {}

    public static void main(String[] args) throws Exception {
        ConfigStore store = ConfigStore.open(Path.of(args[0]));
        AdminServer server = new AdminServer(new AdminSettings("127.0.0.1", 0), store,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
        System.out.println("PORT " + server.start());
        System.out.flush();
        Thread.currentThread().join();
    }
}
