package io.sipvane.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.model.FailoverPolicy;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Transport;
import io.sipvane.core.model.Trunk;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    static final String VALID = """
            sip:
              listen: ["udp:127.0.0.1:5060", "tcp:[::1]:5061"]
              allow_from: ["127.0.0.0/8"]
              failover:
                on_codes: [408, 503]
                attempt_timeout_ms: 1500
                max_attempts: 4
            admin:
              listen: "127.0.0.1:8081"
            health:
              probe_interval_ms: 1000
              down_after: 3
            accounts:
              - auth_id: MAONE000000000000000
                auth_token: "secret-one"
              - auth_id: MATWO000000000000000
                auth_token: "secret-two"
            trunks:
              - id: 7f0c1f5e-0000-4000-8000-000000000001
                account_id: MAONE000000000000000
                name: inbound
                match: { numbers: ["+1415", "1650"], domains: ["Trunk1.example.net"], default: true }
                failover: { attempt_timeout_ms: 900 }
            origination_uris:
              - id: aabbccdd-1234-5678-90ab-cdef12345678
                account_id: MAONE000000000000000
                trunk_id: 7f0c1f5e-0000-4000-8000-000000000001
                name: Primary SBC
                uri: "sip:pbx1.example.com:5060"
                priority: 1
                weight: 10
                transport: tcp
                authentication_needed: true
                username: bob
                password: "hunter2"
                created_at: "2026-05-10T10:45:30Z"
              - id: aabbccdd-1234-5678-90ab-cdef12345679
                account_id: MATWO000000000000000
                uri: "192.168.1.100"
            """;

    @Test
    void parse_readsEverySection() throws Exception {
        SipvaneConfig config = ConfigLoader.parse(VALID, "test.yaml");

        assertThat(config.sip().listen()).containsExactly(
                new ListenAddress(Transport.UDP, "127.0.0.1", 5060), new ListenAddress(Transport.TCP, "[::1]", 5061));
        assertThat(config.sip().allows(InetAddress.getByName("127.0.0.9"))).isTrue();
        assertThat(config.sip().allows(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(config.sip().failover()).isEqualTo(new FailoverPolicy(List.of(408, 503), 1500, 4));
        assertThat(config.admin()).isEqualTo(new AdminSettings("127.0.0.1", 8081));
        assertThat(config.health()).isEqualTo(new HealthSettings(1000, 3, 2, 2, 10_000, true, 2000, List.of(404, 405, 483)));
        Trunk trunk = config.trunks().get(0);
        assertThat(trunk.match().domains()).containsExactly("trunk1.example.net");
        assertThat(trunk.match().isDefault()).isTrue();
        assertThat(config.sip().failover().with(trunk.failover()).attemptTimeoutMs()).isEqualTo(900);
        assertThat(trunk.health().isEmpty()).isTrue();
        OriginationUri first = config.originationUris().get(0);
        assertThat(first.transport()).isEqualTo(Transport.TCP);
        assertThat(first.password()).isEqualTo("hunter2");
        assertThat(first.createdAt()).isEqualTo(Instant.parse("2026-05-10T10:45:30Z"));
        OriginationUri second = config.originationUris().get(1);
        assertThat(second.trunkId()).isNull();
        assertThat(second.priority()).isEqualTo(1);
        assertThat(second.weight()).isEqualTo(10);
        assertThat(second.enabled()).isTrue();
        assertThat(second.transport()).isEqualTo(Transport.UDP);
    }

    @Test
    void load_shippedConfigIsValid() throws Exception {
        Path shipped = Path.of("..", "config", "sipvane.yaml");
        SipvaneConfig config = ConfigLoader.load(shipped);
        assertThat(config.trunks()).hasSize(1);
        assertThat(config.originationUris()).hasSize(3);
    }

    @Test
    void save_writesAFileThatLoadsBackToTheSameConfig(@TempDir Path dir) throws Exception {
        SipvaneConfig config = ConfigLoader.parse(VALID, "test.yaml");
        Path file = dir.resolve("sipvane.yaml");

        ConfigWriter.save(config, file);

        assertThat(ConfigLoader.load(file)).isEqualTo(config);
        assertThat(ConfigWriter.toYaml(ConfigLoader.load(file))).isEqualTo(Files.readString(file));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }
    }

    @Test
    void parse_readsFilesAboveSixteenMebiCodePoints_asAStoreOf100000UrisWrites() throws Exception {
        // about 26 MiB at 100,000 URIs; the filler is a comment so only the size matters
        String big = VALID + ("#" + "x".repeat(99) + "\n").repeat(17 * 1024 * 1024 / 101 + 1);

        assertThat(ConfigLoader.parse(big, "big.yaml")).isEqualTo(ConfigLoader.parse(VALID, "test.yaml"));
    }

    @Test
    void loggingAndCapture_areReadAndWrittenBack(@TempDir Path dir) throws Exception {
        SipvaneConfig config = ConfigLoader.parse(VALID + "logging: { mask_numbers: true }\ncapture: { hep: \"udp:127.0.0.1:9060\", agent_id: 7 }\n",
                "test.yaml");
        Path file = dir.resolve("sipvane.yaml");

        ConfigWriter.save(config, file);

        assertThat(config.logging().maskNumbers()).isTrue();
        assertThat(config.capture()).isEqualTo(new CaptureSettings("127.0.0.1", 9060, 7));
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "capture: { hep: \"tcp:127.0.0.1:9060\" }\n", "test.yaml"))
                .hasMessageContaining("capture.hep").hasMessageContaining("expected: udp:HOST:PORT");
    }

    @Test
    void tlsSection_isReadAndWrittenBack(@TempDir Path dir) throws Exception {
        String yaml = VALID.replace("\"tcp:[::1]:5061\"", "\"tls:127.0.0.1:5061\"") + """
                tls:
                  certificate: /etc/sipvane/tls/router.crt
                  key: /etc/sipvane/tls/router.key
                  ca: /etc/sipvane/tls/ca.pem
                  client_auth: optional
                  min_version: TLSv1.3
                  destinations:
                    - host: carrier.example.net
                      port: 5061
                      certificate: /etc/sipvane/tls/carrier.crt
                      key: /etc/sipvane/tls/carrier.key
                    - host: "[2001:db8::7]"
                      verify: false
                """;
        SipvaneConfig config = ConfigLoader.parse(yaml, "test.yaml");
        Path file = dir.resolve("sipvane.yaml");

        ConfigWriter.save(config, file);

        TlsSettings tls = config.tls();
        assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.OPTIONAL);
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.destination("carrier.example.net", 5061).certificate()).isEqualTo("/etc/sipvane/tls/carrier.crt");
        assertThat(tls.destination("carrier.example.net", 5062)).as("another port").isNull();
        assertThat(tls.destination("2001:db8::7", 5061).verify()).isFalse();
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
    }

    @Test
    void error_tlsListenerWithoutCertificate_namesTheListener() {
        assertError(VALID.replace("\"tcp:[::1]:5061\"", "\"tls:127.0.0.1:5061\""), "sip.listen[1]", 2,
                "\"tls:127.0.0.1:5061\" is a TLS listener: it needs tls.certificate and tls.key (the router's certificate"
                        + " chain and private key, PEM)");
    }

    @Test
    void error_tlsSection_namesTheKeyAndLine() {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "tls:\n  certificate: /a.crt\n", "test.yaml"))
                .hasMessageStartingWith("tls.key: ").hasMessageContaining("missing");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "tls:\n  client_auth: maybe\n", "test.yaml"))
                .hasMessageStartingWith("tls.client_auth: line 41: \"maybe\"").hasMessageContaining("expected: none, optional or required");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "tls:\n  client_auth: required\n", "test.yaml"))
                .hasMessageStartingWith("tls.client_auth: ").hasMessageContaining("needs ca");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "tls:\n  min_version: TLSv1.1\n", "test.yaml"))
                .hasMessageStartingWith("tls.min_version: ").hasMessageContaining("expected: TLSv1.2 or TLSv1.3");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "tls:\n  destinations:\n    - port: 5061\n", "test.yaml"))
                .hasMessageStartingWith("tls.destinations[0].host: ").hasMessageContaining("missing");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID + "tls:\n  destinations:\n    - host: a\n      verfiy: false\n",
                "test.yaml")).hasMessageStartingWith("tls.destinations[0].verfiy: ").hasMessageContaining("unknown key");
    }

    @Test
    void save_replacesAnExistingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sipvane.yaml");
        Files.writeString(file, "old content that is much longer than nothing at all\n".repeat(100));
        SipvaneConfig config = ConfigLoader.parse(VALID, "test.yaml");

        ConfigWriter.save(config, file);

        assertThat(ConfigLoader.load(file)).isEqualTo(config);
    }

    @Test
    void error_namesPathAndLineOfABadListItem() {
        String yaml = VALID.replace("numbers: [\"+1415\", \"1650\"]", "numbers: [\"+1415\", \"1650\", \"16 50\"]");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("trunks[0].match.numbers[2]: line 22: \"16 50\" contains a space, '@' or ';'");
    }

    @Test
    void listen_acceptsAnAdvertisedAddress_andWritesItBack(@TempDir Path dir) throws Exception {
        String yaml = VALID.replace("\"udp:127.0.0.1:5060\"", "\"udp:0.0.0.0:5060;advertise=203.0.113.10:5070\"");
        SipvaneConfig config = ConfigLoader.parse(yaml, "test.yaml");

        ListenAddress listen = config.sip().listen().get(0);
        assertThat(listen.bareHost()).isEqualTo("0.0.0.0");
        assertThat(listen.advertisedHost() + ":" + listen.advertisedPort()).isEqualTo("203.0.113.10:5070");
        Path file = dir.resolve("sipvane.yaml");
        ConfigWriter.save(config, file);
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
    }

    @Test
    void error_wildcardListenerWithoutAdvertisedAddress() {
        assertError(VALID.replace("\"udp:127.0.0.1:5060\"", "\"udp:0.0.0.0:5060\""), "sip.listen[0]", 2,
                "listen: \"udp:0.0.0.0:5060\" binds every address; add the address peers reach, as in ;advertise=203.0.113.10:5060");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("\"tcp:[::1]:5061\"", "\"tcp:[::]:5061\""), "test.yaml"))
                .hasMessageStartingWith("sip.listen[1]: line 2: ");
    }

    @Test
    void error_originationUriPointingAtOurOwnListener() {
        String yaml = VALID.replace("uri: \"192.168.1.100\"", "uri: \"127.0.0.1\"");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("origination_uris[1].uri: line ")
                .hasMessageContaining("127.0.0.1 is this router's own listener udp:127.0.0.1:5060: calls would loop");
    }

    @Test
    void error_unknownListenParameter() {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("\"udp:127.0.0.1:5060\"", "\"udp:127.0.0.1:5060;nat=yes\""), "test.yaml"))
                .hasMessageContaining("sip.listen[0]: line 2: ").hasMessageContaining("(expected: ;advertise=host:port)");
    }

    @Test
    void error_priorityBelowOne() {
        assertError(VALID.replace("priority: 1", "priority: 0"),
                "origination_uris[0].priority", 30, "0 (expected: >= 1)");
    }

    @Test
    void error_weightOutOfRange() {
        assertError(VALID.replace("weight: 10", "weight: 70000"),
                "origination_uris[0].weight", 31, "70000 (expected: 0..65535)");
    }

    @Test
    void error_invalidUri() {
        assertError(VALID.replace("uri: \"192.168.1.100\"", "uri: \"sip:\""),
                "origination_uris[1].uri", 39, "\"sip:\" has no host");
    }

    @Test
    void error_duplicateIds() {
        assertError(VALID.replace("cdef12345679", "cdef12345678"),
                "origination_uris[1].id", 37, "duplicate id aabbccdd-1234-5678-90ab-cdef12345678");
    }

    @Test
    void error_unknownTrunkReference() {
        assertError(VALID.replace("trunk_id: 7f0c1f5e-0000-4000-8000-000000000001",
                        "trunk_id: 7f0c1f5e-0000-4000-8000-000000000009"),
                "origination_uris[0].trunk_id", 27, "unknown trunk 7f0c1f5e-0000-4000-8000-000000000009");
    }

    @Test
    void error_unknownAccountReference() {
        assertError(VALID.replace("account_id: MATWO000000000000000", "account_id: MANOPE00000000000000"),
                "origination_uris[1].account_id", 38, "unknown account MANOPE00000000000000");
    }

    @Test
    void error_uriOfAnotherAccountsTrunk() {
        String yaml = VALID.replace("account_id: MATWO000000000000000\n    uri", "account_id: MATWO000000000000000\n    trunk_id: 7f0c1f5e-0000-4000-8000-000000000001\n    uri");
        assertError(yaml, "origination_uris[1].trunk_id", 39, "unknown trunk 7f0c1f5e-0000-4000-8000-000000000001");
    }

    @Test
    void error_unknownKeyIsNotIgnored() {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("weight: 10", "wieght: 10"), "test.yaml"))
                .hasMessageStartingWith("origination_uris[0].wieght: line 31: unknown key");
    }

    @Test
    void error_wrongTypeSaysWhatWasExpected() {
        assertError(VALID.replace("weight: 10", "weight: heavy"),
                "origination_uris[0].weight", 31, "expected an integer, got \"heavy\"");
        assertError(VALID.replace("default: true", "default: maybe"),
                "trunks[0].match.default", 22, "expected true or false, got \"maybe\"");
    }

    @Test
    void error_missingRequiredField() {
        assertError(VALID.replace("    uri: \"192.168.1.100\"\n", ""),
                "origination_uris[1].uri", 37, "missing (required)");
    }

    @Test
    void error_invalidYamlSyntaxHasALine() {
        assertThatThrownBy(() -> ConfigLoader.parse("sip:\n  listen: [\"udp:127.0.0.1:5060\"\nadmin: {\n", "bad.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void error_badListenAddress() {
        assertError(VALID.replace("tcp:[::1]:5061", "sctp:127.0.0.1:5061"),
                "sip.listen[1]", 2, "transport: \"sctp\" (expected: udp, tcp or tls)");
    }

    @Test
    void error_twoDefaultTrunks() {
        String second = """
                  - id: 7f0c1f5e-0000-4000-8000-000000000002
                    account_id: MATWO000000000000000
                    match: { default: true }
                origination_uris:
                """;
        assertError(VALID.replace("origination_uris:\n", second),
                "trunks[1].match.default", 26, "trunks[0] is already the default trunk");
    }

    @Test
    void error_failoverCodeOutOfRange() {
        assertError(VALID.replace("on_codes: [408, 503]", "on_codes: [408, 200]"),
                "sip.failover.on_codes[1]", 5, "200 (expected: 300..699)");
    }

    @Test
    void operationsSections_areReadAndRoundTrip(@TempDir Path dir) throws Exception {
        String yaml = """
                sip:
                  max_in_flight: 500
                health:
                  probing: false
                  probe_timeout_ms: 700
                  ok_codes: [404]
                dns:
                  ttl_ms: 60000
                  negative_ttl_ms: 1000
                shutdown:
                  grace_ms: 2500
                accounts: []
                """;

        SipvaneConfig config = ConfigLoader.parse(yaml, "ops.yaml");

        assertThat(config.sip().maxInFlight()).isEqualTo(500);
        assertThat(config.health().probing()).isFalse();
        assertThat(config.health().probeTimeoutMs()).isEqualTo(700);
        assertThat(config.health().isOk(404)).isTrue();
        assertThat(config.health().isOk(405)).isFalse();
        assertThat(config.health().isOk(204)).isTrue();
        assertThat(config.dns()).isEqualTo(new DnsSettings(60_000, 1000));
        assertThat(config.shutdown()).isEqualTo(new ShutdownSettings(2500));
        Path file = dir.resolve("ops.yaml");
        ConfigWriter.save(config, file);
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
        assertError(yaml.replace("grace_ms: 2500", "grace_ms: -1"), "shutdown.grace_ms", 11, "-1 (expected: 0..3600000)");
        assertError(yaml.replace("max_in_flight: 500", "max_in_flight: 0"), "sip.max_in_flight", 2, "0 (expected: 1..1000000)");
    }

    @Test
    void adminMetricsTokenAndIdleTimeout_areReadAndRoundTrip(@TempDir Path dir) throws Exception {
        String yaml = VALID.replace("listen: \"127.0.0.1:8081\"",
                "listen: \"127.0.0.1:8081\"\n  metrics_token: \"scrape\"\n  idle_timeout_ms: 5000");

        SipvaneConfig config = ConfigLoader.parse(yaml, "test.yaml");

        assertThat(config.admin().resolveMetricsToken()).isEqualTo("scrape");
        assertThat(config.admin().idleTimeoutMs()).isEqualTo(5000);
        assertThat(ConfigLoader.parse(VALID, "test.yaml").admin().resolveMetricsToken()).isNull();
        Path file = dir.resolve("t.yaml");
        ConfigWriter.save(config, file);
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
        assertThatThrownBy(() -> ConfigLoader.parse(yaml.replace("idle_timeout_ms: 5000", "idle_timeout_ms: 5"), "test.yaml"))
                .hasMessage("admin.idle_timeout_ms: line 11: 5 (expected: 100..3600000)");
    }

    @Test
    void operatorAccount_isReadAndRoundTrips(@TempDir Path dir) throws Exception {
        String yaml = VALID.replace("auth_token: \"secret-one\"", "auth_token: \"secret-one\"\n    operator: true");

        SipvaneConfig config = ConfigLoader.parse(yaml, "test.yaml");

        assertThat(config.accounts().get(0).operator()).isTrue();
        assertThat(config.accounts().get(1).operator()).isFalse();
        Path file = dir.resolve("t.yaml");
        ConfigWriter.save(config, file);
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
    }

    @Test
    void trunkHealthOverride_isReadAndRoundTrips(@TempDir Path dir) throws Exception {
        String yaml = VALID.replace("failover: { attempt_timeout_ms: 900 }",
                "failover: { attempt_timeout_ms: 900 }\n    health: { probing: false, probe_interval_ms: 1500 }");

        SipvaneConfig config = ConfigLoader.parse(yaml, "test.yaml");

        assertThat(config.trunks().get(0).health()).isEqualTo(new io.sipvane.core.model.HealthOverride(false, 1500));
        Path file = dir.resolve("t.yaml");
        ConfigWriter.save(config, file);
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
        assertError(yaml.replace("probe_interval_ms: 1500", "probe_interval_ms: 5"), "trunks[0].health.probe_interval_ms", 24,
                "5 (expected: 100..3600000)");
    }

    @Test
    void emptyDocumentIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse("", "empty.yaml")).hasMessageContaining("the file is empty");
    }

    @Test
    void minimalConfigTakesDefaults() throws Exception {
        SipvaneConfig config = ConfigLoader.parse("accounts: []\n", "min.yaml");
        assertThat(config.sip()).isEqualTo(SipSettings.DEFAULT);
        assertThat(config.admin()).isEqualTo(AdminSettings.DEFAULT);
        assertThat(config.health()).isEqualTo(HealthSettings.DEFAULT);
        assertThat(config.sip().allows(InetAddress.getByName("203.0.113.7"))).isTrue();
        assertThat(config.trunks()).isEmpty();
        assertThat(config.originationUris()).isEmpty();
        assertThat(config.originationUri(UUID.randomUUID())).isEmpty();
    }

    private static void assertError(String yaml, String path, int line, String problem) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(path + ": line " + line + ": " + problem)
                .satisfies(e -> {
                    assertThat(((ConfigException) e).path()).isEqualTo(path);
                    assertThat(((ConfigException) e).line()).isEqualTo(line);
                });
    }
}
