package io.sipvane.sip.testing;

import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.sip.SipServer;
import io.sipvane.sip.dns.DnsCache;
import io.sipvane.sip.proxy.CallContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds a config for a router on a free loopback port and runs a {@link SipServer} on it. */
public final class TestRouter implements AutoCloseable {
    public final int port;
    public final SipServer server;
    public final RoutingTable table;
    /** The passive quarantine real calls feed. */
    public final PassiveQuarantine quarantine;
    public final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private TestRouter(int port, SipvaneConfig config, long seed, int quarantineAfter, long timerCMs, HealthView health,
                       DnsCache.Resolver resolver) throws Exception {
        this.port = port;
        this.table = new RoutingTable(config);
        this.quarantine = new PassiveQuarantine(quarantineAfter, Duration.ofMinutes(5),
                com.github.benmanes.caffeine.cache.Ticker.systemTicker());
        this.server = new SipServer(config, table, health, quarantine, new Random(seed), timerCMs, registry, resolver);
        server.start();
    }

    /** The router's JAIN-SIP stack, read out of the server: for tests that look at the stack's own state. */
    public gov.nist.javax.sip.SipStackImpl sipStack() throws ReflectiveOperationException {
        java.lang.reflect.Field proxyStack = SipServer.class.getDeclaredField("stack");
        proxyStack.setAccessible(true);
        Object stack = proxyStack.get(server);
        java.lang.reflect.Field sipStack = stack.getClass().getDeclaredField("stack");
        sipStack.setAccessible(true);
        return (gov.nist.javax.sip.SipStackImpl) sipStack.get(stack);
    }

    /** A destination line: uri, priority, weight, transport, and digest credentials or null. */
    public record Dest(String uri, int priority, int weight, String transport, String username, String password) {}

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Dest> dests = new ArrayList<>();
        private String allowFrom = "[\"127.0.0.0/8\"]";
        private int attemptTimeoutMs = 2000;
        private long seed = 42;
        private String numbers = "[\"+1415\"]";
        private boolean isDefault = false;
        // by default quarantine only after many failures: most tests look at single calls
        private int quarantineAfter = 1000;

        private long timerCMs = CallContext.TIMER_C_MS;
        private String healthYaml = "";
        private String sipExtraYaml = "";
        private String tlsYaml = "";
        /** {@code sip.listen} entries, {@code %d} standing for the router's port. */
        private List<String> listen = List.of("udp:127.0.0.1:%d", "tcp:127.0.0.1:%d");
        private HealthView health = HealthView.ALL_UP;
        private DnsCache.Resolver resolver = host -> {
            throw new java.net.UnknownHostException(host + " (tests resolve no names unless given a resolver)");
        };

        public Builder resolver(DnsCache.Resolver r) {
            this.resolver = r;
            return this;
        }

        /** Lines of the {@code health:} section, each indented by two spaces. */
        public Builder health(String sectionLines) {
            this.healthYaml = sectionLines;
            return this;
        }

        /** Other {@code sip.listen} entries; {@code %d} stands for the router's port. */
        public Builder listen(String... entries) {
            this.listen = List.of(entries);
            return this;
        }

        /** Extra lines of the {@code sip:} section, each indented by two spaces. */
        public Builder sipExtra(String lines) {
            this.sipExtraYaml = lines;
            return this;
        }

        /**
         * A UDP listener on the router's port and a TLS one on {@code tlsPort} presenting
         * {@code certificate}; {@code ca} (or null) is {@code tls.ca}; {@code extra}: more lines
         * of the {@code tls:} section, each indented by two spaces.
         */
        public Builder tlsListener(int tlsPort, TestPki.Issued certificate, java.nio.file.Path ca, String extra) {
            listen("udp:127.0.0.1:%d", "tls:127.0.0.1:" + tlsPort);
            return tls("  certificate: \"" + certificate.certificatePem() + "\"\n  key: \"" + certificate.keyPem() + "\"\n"
                    + (ca == null ? "" : "  ca: \"" + ca + "\"\n") + extra);
        }

        /** Lines of the {@code tls:} section, each indented by two spaces. */
        public Builder tls(String sectionLines) {
            this.tlsYaml = sectionLines;
            return this;
        }

        public Builder healthView(HealthView view) {
            this.health = view;
            return this;
        }

        public Builder timerCMs(long ms) {
            this.timerCMs = ms;
            return this;
        }

        public Builder quarantineAfter(int failures) {
            this.quarantineAfter = failures;
            return this;
        }

        public Builder dest(String uri, int priority, int weight) {
            return dest(uri, priority, weight, "udp");
        }

        public Builder dest(String uri, int priority, int weight, String transport) {
            dests.add(new Dest(uri, priority, weight, transport, null, null));
            return this;
        }

        /** A destination that answers challenges with these credentials. */
        public Builder destWithAuth(String uri, int priority, int weight, String username, String password) {
            dests.add(new Dest(uri, priority, weight, "udp", username, password));
            return this;
        }

        public Builder allowFrom(String yamlList) {
            this.allowFrom = yamlList;
            return this;
        }

        public Builder attemptTimeoutMs(int ms) {
            this.attemptTimeoutMs = ms;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder defaultTrunk() {
            this.isDefault = true;
            return this;
        }

        public String yaml(int port) {
            StringBuilder sb = new StringBuilder();
            sb.append("sip:\n  listen: [").append(String.join(", ", listen.stream()
                    .map(l -> "\"" + l.replace("%d", Integer.toString(port)) + "\"").toList())).append("]\n");
            sb.append("  allow_from: ").append(allowFrom).append('\n');
            sb.append("  failover:\n    on_codes: [408, 480, 500, 502, 503, 504]\n    attempt_timeout_ms: ")
                    .append(attemptTimeoutMs).append("\n    max_attempts: 10\n");
            sb.append(sipExtraYaml);
            if (!healthYaml.isEmpty()) {
                sb.append("health:\n").append(healthYaml);
            }
            if (!tlsYaml.isEmpty()) {
                sb.append("tls:\n").append(tlsYaml);
            }
            sb.append("accounts:\n  - auth_id: MATEST00000000000000\n    auth_token: \"secret\"\n");
            sb.append("trunks:\n  - id: 7f0c1f5e-0000-4000-8000-000000000001\n    account_id: MATEST00000000000000\n    name: t\n");
            sb.append("    match: { numbers: ").append(numbers).append(", domains: [], default: ").append(isDefault).append(" }\n");
            sb.append("origination_uris:\n");
            int i = 0;
            for (Dest d : dests) {
                sb.append("  - id: aabbccdd-1234-5678-90ab-").append(String.format("%012d", i++)).append('\n');
                sb.append("    account_id: MATEST00000000000000\n    trunk_id: 7f0c1f5e-0000-4000-8000-000000000001\n");
                sb.append("    uri: \"").append(d.uri()).append("\"\n    priority: ").append(d.priority())
                        .append("\n    weight: ").append(d.weight()).append("\n    enabled: true\n    transport: ")
                        .append(d.transport()).append('\n');
                if (d.username() != null) {
                    sb.append("    authentication_needed: true\n    username: \"").append(d.username())
                            .append("\"\n    password: \"").append(d.password()).append("\"\n");
                }
            }
            if (dests.isEmpty()) {
                sb.append("  []\n");
            }
            return sb.toString();
        }

        private int port;

        /** The router's port; a free one unless given. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public TestRouter start() throws Exception {
            int port = this.port != 0 ? this.port : TestUa.freePort();
            SipvaneConfig config = ConfigLoader.parse(yaml(port), "test.yaml");
            return new TestRouter(port, config, seed, quarantineAfter, timerCMs, health, resolver);
        }
    }

    /** The Request-URI of a call that the test trunk routes. */
    public String callee() {
        return "sip:+14155550100@127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stop();
    }
}
