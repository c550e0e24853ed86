package io.sipvane.sip;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.routing.RoutingTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import javax.sip.SipException;

/**
 * Entry point: {@code java -Djava.net.preferIPv4Stack=true -jar sipvane.jar [--config FILE]}.
 * Parses arguments, loads the config and starts a {@link SipvaneServer}; SIGTERM stops it.
 */
public final class Main {
    static final String DEFAULT_CONFIG = "config/sipvane.yaml";

    private Main() {}

    public static void main(String[] args) {
        Path configPath;
        try {
            configPath = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sipvane: " + e.getMessage());
            System.err.println("usage: sipvane [--config FILE]   (default " + DEFAULT_CONFIG + ")");
            System.exit(2);
            return;
        }
        SipvaneConfig config;
        try {
            config = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            System.err.println("sipvane: invalid config " + configPath + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (IOException e) {
            System.err.println("sipvane: cannot read config " + configPath + ": " + e);
            System.exit(1);
            return;
        }
        RoutingTable table = new RoutingTable(config);
        SipvaneServer server = new SipvaneServer(config, table, HealthView.ALL_UP,
                new PassiveQuarantine(config.health()), new Random());
        try {
            server.start();
        } catch (SipException e) {
            System.err.println("sipvane: cannot start SIP: " + e.getMessage());
            server.stop();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "sipvane-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path parseArgs(String[] args) {
        Path config = Path.of(DEFAULT_CONFIG);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--config") && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else if (arg.startsWith("--config=")) {
                config = Path.of(arg.substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        return config;
    }
}
