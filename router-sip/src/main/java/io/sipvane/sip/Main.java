package io.sipvane.sip;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.routing.RoutingTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import javax.sip.SipException;

/**
 * Entry point: {@code java -Djava.net.preferIPv4Stack=true -jar sipvane.jar [--config FILE]}
 * (or {@code bin/sipvane}). Parses arguments, loads the config, wires and starts a
 * {@link SipvaneServer}; SIGTERM stops it through a shutdown hook. A bad config exits with
 * status 1 after printing the error with its YAML path and line; bad arguments exit with 2.
 */
public final class Main {
    static final String DEFAULT_CONFIG = "config/sipvane.yaml";

    /** Weighted draws on the listener threads without contention on one shared seed. */
    private static final RandomGenerator THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private Main() {}

    public static void main(String[] args) {
        SipvaneServer server;
        try {
            server = boot(args);
        } catch (StartupException e) {
            System.err.println("sipvane: " + e.getMessage());
            if (e.status == 2) {
                System.err.println("usage: sipvane [--config FILE]   (default " + DEFAULT_CONFIG + ")");
            }
            System.exit(e.status);
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

    /** Loads the config named by {@code args} and starts the server on it. */
    static SipvaneServer boot(String[] args) throws StartupException {
        Path configPath;
        try {
            configPath = parseArgs(args);
        } catch (IllegalArgumentException e) {
            throw new StartupException(2, e.getMessage());
        }
        SipvaneConfig config;
        try {
            config = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            throw new StartupException(1, "invalid config " + configPath + ": " + e.getMessage());
        } catch (IOException e) {
            throw new StartupException(1, "cannot read config " + configPath + ": " + e);
        }
        RoutingTable table = new RoutingTable(config);
        SipvaneServer server = new SipvaneServer(config, table, HealthView.ALL_UP,
                new PassiveQuarantine(config.health()), THREAD_LOCAL_RANDOM);
        try {
            server.start();
        } catch (SipException e) {
            server.stop();
            throw new StartupException(1, "cannot start SIP: " + e.getMessage());
        }
        return server;
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

    /** Startup failed; {@link #status} is the process exit status. */
    static final class StartupException extends Exception {
        final int status;

        StartupException(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
