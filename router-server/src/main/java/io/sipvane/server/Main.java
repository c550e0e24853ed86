package io.sipvane.server;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.store.ConfigStore;
import io.sipvane.store.postgres.Stores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javax.sip.SipException;

/**
 * Entry point: {@code java -Djava.net.preferIPv4Stack=true -jar sipvane.jar [--config FILE]}
 * (or {@code bin/sipvane}). Parses arguments, loads the config, wires and starts a
 * {@link Sipvane} (SIP and the admin API); SIGTERM stops it through a shutdown hook, SIGHUP
 * re-reads the config. A bad config exits with status 1 after printing the error with its
 * YAML path and line; bad arguments exit with 2. {@code check}, {@code --version} and
 * {@code --help} answer and exit without starting anything ({@link Usage}).
 */
public final class Main {
    static final String DEFAULT_CONFIG = "config/sipvane.yaml";

    private Main() {}

    public static void main(String[] args) {
        Integer answered = command(args, System.out, System.err);
        if (answered != null) {
            System.exit(answered);
            return;
        }
        // SIGHUP is handled from the start: the JVM's own handler for it would exit, and a reload
        // (systemd's ExecReload, a test) can come while the router is still starting
        java.util.concurrent.atomic.AtomicReference<Sipvane> running = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            // what an operator (or systemd's ExecReload) sends to make a daemon re-read its config
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Sipvane started = running.get();
                if (started != null) {
                    started.reload();
                } else {
                    org.slf4j.LoggerFactory.getLogger(Main.class).info(
                            "SIGHUP before the configuration was read: nothing to reload yet");
                }
            });
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // a process started with SIGHUP ignored (nohup, some supervisors) keeps it ignored:
                // the JVM does not install a handler for it, so say why a reload by signal does nothing
                org.slf4j.LoggerFactory.getLogger(Main.class).warn("SIGHUP is ignored in this process (started under"
                        + " nohup, or by a parent that ignores it): kill -HUP will not reload; edits of the file still do");
            }
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform: the file is still watched
        }
        Sipvane server;
        try {
            // reloads reach the router as soon as it exists: one during its start is harmless
            // (the store re-reads the file, the TLS files are not loaded yet)
            server = boot(args, running::set);
        } catch (StartupException e) {
            System.err.println("sipvane: " + e.getMessage());
            if (e.status == 2) {
                System.err.print(Usage.text());
            }
            System.exit(e.status);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C drain (503 to new calls, grace for calls in progress) and exit 0;
        // the shutdown hook covers any other way the JVM is asked to exit
        Runnable stop = () -> {
            server.stop();
            flushLogs();
            stopped.countDown();
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(() -> {
                    stop.run();
                    System.exit(0);
                }, "sipvane-sig" + name.toLowerCase(java.util.Locale.ROOT)).start());
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform: the shutdown hook still stops us
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "sipvane-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers the commands that start nothing ({@code --version}, {@code --help},
     * {@code check}) and returns their exit status; {@code null} when {@code args} ask to run.
     */
    static Integer command(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            out.println(BuildInfo.load());
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.print(Usage.text());
            return 0;
        }
        if (args.length >= 1 && args[0].equals("check")) {
            Path config;
            try {
                config = parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) {
                err.println("sipvane: " + e.getMessage());
                err.print(Usage.text());
                return 2;
            }
            return ConfigCheck.run(config, out, err);
        }
        return null;
    }

    /** Loads the config named by {@code args} and starts the router on it. */
    static Sipvane boot(String[] args) throws StartupException {
        return boot(args, created -> { });
    }

    /** As above; {@code created} gets the router once it exists, before it starts. */
    static Sipvane boot(String[] args, java.util.function.Consumer<Sipvane> created) throws StartupException {
        Path configPath;
        try {
            configPath = parseArgs(args);
        } catch (IllegalArgumentException e) {
            throw new StartupException(2, e.getMessage());
        }
        ConfigStore store;
        try {
            store = Stores.open(configPath);
        } catch (ConfigStore.StoreException e) {
            throw new StartupException(1, e.getMessage() + " (a router without its data cannot route: start it when the database is up)");
        } catch (ConfigException e) {
            throw new StartupException(1, "invalid config " + configPath + ": " + e.getMessage());
        } catch (IOException e) {
            throw new StartupException(1, "cannot read config " + configPath + ": " + e);
        }
        Sipvane sipvane;
        try {
            sipvane = new Sipvane(store);
        } catch (IllegalArgumentException e) {
            store.close();
            throw new StartupException(1, "cannot start: " + e.getMessage());
        }
        created.accept(sipvane);
        try {
            sipvane.start();
        } catch (SipException e) {
            throw new StartupException(1, "cannot start SIP: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new StartupException(1, "cannot start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(1, "interrupted while starting");
        }
        return sipvane;
    }

    /**
     * Writes out what the asynchronous log appender still holds: the lines of a stop (calls
     * still in progress after the grace period, say) are the ones an operator needs most.
     */
    private static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
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

    /** Startup failed; {@link #status} is the process exit status. */
    static final class StartupException extends Exception {
        final int status;

        StartupException(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
