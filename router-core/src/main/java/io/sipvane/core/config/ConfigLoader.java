package io.sipvane.core.config;

import static io.sipvane.core.config.YamlFields.build;
import static io.sipvane.core.config.YamlFields.instantOr;
import static io.sipvane.core.config.YamlFields.intOr;
import static io.sipvane.core.config.YamlFields.intsOr;
import static io.sipvane.core.config.YamlFields.items;
import static io.sipvane.core.config.YamlFields.keys;
import static io.sipvane.core.config.YamlFields.required;
import static io.sipvane.core.config.YamlFields.stringOr;
import static io.sipvane.core.config.YamlFields.strings;
import static io.sipvane.core.config.YamlFields.stripField;
import static io.sipvane.core.config.YamlFields.uuid;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.FailoverOverride;
import io.sipvane.core.model.FailoverPolicy;
import io.sipvane.core.model.HealthOverride;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Transport;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code sipvane.yaml} into a validated {@link SipvaneConfig}. Every error names the
 * YAML path and line ({@code trunks[0].match.numbers[2]: line 14: ...}); unknown keys are
 * errors, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
    private static final Set<String> ROOT = keys("sip", "admin", "health", "dns", "shutdown", "store", "instance",
            "accounts", "trunks", "origination_uris", "logging", "capture", "tls");
    private static final Set<String> TLS = keys("certificate", "key", "ca", "client_auth", "min_version", "destinations");
    private static final Set<String> TLS_DESTINATION = keys("host", "port", "certificate", "key", "verify");
    private static final Set<String> LOGGING = keys("mask_numbers");
    private static final Set<String> CAPTURE = keys("hep", "agent_id");
    private static final Set<String> STORE = keys("type", "url", "user", "password", "password_env", "poll_interval_ms");
    private static final Set<String> SIP = keys("listen", "allow_from", "failover", "max_in_flight", "preloaded_route",
            "route_secret_env");
    private static final Set<String> DNS = keys("ttl_ms", "negative_ttl_ms");
    private static final Set<String> SHUTDOWN = keys("grace_ms");
    private static final Set<String> FAILOVER = keys("on_codes", "attempt_timeout_ms", "max_attempts");
    private static final Set<String> ADMIN = keys("listen", "metrics_token", "metrics_token_env", "idle_timeout_ms");
    private static final Set<String> HEALTH = keys("probing", "probe_interval_ms", "probe_timeout_ms", "down_after", "up_after",
            "ok_codes", "quarantine_after", "quarantine_ms", "quarantine_codes");
    private static final Set<String> ACCOUNT = keys("auth_id", "auth_token", "auth_token_env", "name", "operator");
    private static final Set<String> TRUNK = keys("id", "account_id", "name", "trunk_direction", "match", "failover",
            "health", "primary_uri_uuid", "fallback_uri_uuid", "created_at", "updated_at");
    private static final Set<String> TRUNK_HEALTH = keys("probing", "probe_interval_ms");
    private static final Set<String> MATCH = keys("numbers", "domains", "default");
    private static final Set<String> URI = keys("id", "account_id", "trunk_id", "name", "uri", "priority", "weight",
            "enabled", "transport", "authentication_needed", "username", "password", "created_at", "updated_at");

    private ConfigLoader() {}

    public static SipvaneConfig load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * The largest file read, in code points. The store writes about 270 per origination URI
     * (26 MiB for 100,000 URIs), and it must read back any file it wrote; 16 Mi, the limit
     * before, refused a store of 62,000 URIs at the next start. The limit stays as a guard
     * against runaway input.
     */
    static final int CODE_POINT_LIMIT = 256 * 1024 * 1024;

    public static SipvaneConfig parse(String yaml, String sourceName) throws ConfigException {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(sourceName).setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(10).setCodePointLimit(CODE_POINT_LIMIT).build();
            Optional<Node> composed = new Compose(settings).composeString(yaml);
            if (composed.isEmpty()) {
                throw new ConfigException("", 1, "the file is empty");
            }
            root = composed.get();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException("", line, "invalid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigException("", 0, "invalid YAML: " + e.getMessage());
        }
        YamlNode doc = new YamlNode(root, "", 1);
        return new ConfigLoader().read(doc);
    }

    private SipvaneConfig read(YamlNode doc) throws ConfigException {
        Map<String, YamlNode> top = doc.map(ROOT);
        SipSettings sip = top.containsKey("sip") ? sip(top.get("sip")) : SipSettings.DEFAULT;
        AdminSettings admin = top.containsKey("admin") ? admin(top.get("admin")) : AdminSettings.DEFAULT;
        HealthSettings health = top.containsKey("health") ? health(top.get("health")) : HealthSettings.DEFAULT;
        DnsSettings dns = top.containsKey("dns") ? dns(top.get("dns")) : DnsSettings.DEFAULT;
        ShutdownSettings shutdown = top.containsKey("shutdown") ? shutdown(top.get("shutdown")) : ShutdownSettings.DEFAULT;
        StoreSettings store = top.containsKey("store") ? store(top.get("store")) : StoreSettings.DEFAULT;
        LoggingSettings logging = LoggingSettings.DEFAULT;
        if (top.containsKey("logging")) {
            Map<String, YamlNode> lm = top.get("logging").map(LOGGING);
            logging = new LoggingSettings(lm.containsKey("mask_numbers") && lm.get("mask_numbers").bool());
        }
        CaptureSettings capture = top.containsKey("capture") ? capture(top.get("capture")) : CaptureSettings.OFF;
        TlsSettings tls = top.containsKey("tls") ? tls(top.get("tls")) : TlsSettings.DEFAULT;
        checkTlsListeners(sip, tls, top.get("sip"));
        String instance = stringOr(top, "instance", null);
        if (instance != null && instance.isBlank()) {
            throw top.get("instance").fail("blank (expected: a name for this router, for example its host name)");
        }
        List<Account> accounts = new ArrayList<>();
        for (YamlNode n : items(top.get("accounts"))) {
            accounts.add(account(n));
        }
        List<Trunk> trunks = new ArrayList<>();
        for (YamlNode n : items(top.get("trunks"))) {
            trunks.add(trunk(n));
        }
        List<OriginationUri> uris = new ArrayList<>();
        for (YamlNode n : items(top.get("origination_uris"))) {
            uris.add(originationUri(n));
        }
        try {
            return new SipvaneConfig(sip, admin, health, dns, shutdown, store, instance, accounts, trunks, uris, logging,
                    capture, tls);
        } catch (ConfigReferenceException e) {
            YamlNode at = doc.locate(e.list() + "[" + e.index() + "]." + e.field());
            throw new ConfigException(e.list() + "[" + e.index() + "]." + e.field(), at.line(), stripField(e.getMessage()));
        }
    }

    private static SipSettings sip(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(SIP);
        List<ListenAddress> listen = new ArrayList<>();
        if (m.containsKey("listen")) {
            for (YamlNode item : m.get("listen").list()) {
                String text = item.string();
                listen.add(build(item, () -> ListenAddress.parse(text)));
            }
        } else {
            listen.addAll(SipSettings.DEFAULT.listen());
        }
        List<Cidr> allowFrom = null;
        if (m.containsKey("allow_from") && !m.get("allow_from").isNull()) {
            allowFrom = new ArrayList<>();
            for (YamlNode item : m.get("allow_from").list()) {
                String text = item.string();
                allowFrom.add(build(item, () -> Cidr.parse(text)));
            }
        }
        FailoverPolicy failover = FailoverPolicy.DEFAULT;
        if (m.containsKey("failover")) {
            FailoverOverride o = failover(m.get("failover"));
            FailoverPolicy base = failover;
            failover = build(m.get("failover"), () -> base.with(o));
        }
        List<ListenAddress> finalListen = listen;
        List<Cidr> finalAllow = allowFrom;
        FailoverPolicy finalFailover = failover;
        int maxInFlight = intOr(m, "max_in_flight", SipSettings.DEFAULT_MAX_IN_FLIGHT);
        SipSettings.PreloadedRoute preloaded = SipSettings.PreloadedRoute.REJECT;
        if (m.containsKey("preloaded_route")) {
            String text = m.get("preloaded_route").string();
            preloaded = build(m.get("preloaded_route"), () -> SipSettings.PreloadedRoute.parse(text));
        }
        SipSettings.PreloadedRoute finalPreloaded = preloaded;
        String secretEnv = m.containsKey("route_secret_env") ? m.get("route_secret_env").string() : null;
        return build(node, () -> new SipSettings(finalListen, finalAllow, finalFailover, maxInFlight, finalPreloaded, secretEnv));
    }

    private static FailoverOverride failover(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(FAILOVER);
        List<Integer> codes = intsOr(m, "on_codes", null);
        Integer timeout = m.containsKey("attempt_timeout_ms") ? m.get("attempt_timeout_ms").integer() : null;
        Integer max = m.containsKey("max_attempts") ? m.get("max_attempts").integer() : null;
        return build(node, () -> new FailoverOverride(codes, timeout, max));
    }

    private static AdminSettings admin(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(ADMIN);
        AdminSettings listen = AdminSettings.DEFAULT;
        if (m.containsKey("listen")) {
            String text = m.get("listen").string();
            listen = build(m.get("listen"), () -> AdminSettings.parse(text));
        }
        String token = stringOr(m, "metrics_token", null);
        String env = stringOr(m, "metrics_token_env", null);
        int idle = intOr(m, "idle_timeout_ms", AdminSettings.DEFAULT_IDLE_TIMEOUT_MS);
        AdminSettings base = listen;
        AdminSettings admin = build(node, () -> base.with(token, env, idle));
        if (env != null && System.getenv(env) == null) {
            throw m.get("metrics_token_env").fail("environment variable " + env + " is not set");
        }
        return admin;
    }

    private static HealthSettings health(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(HEALTH);
        HealthSettings d = HealthSettings.DEFAULT;
        int interval = intOr(m, "probe_interval_ms", d.probeIntervalMs());
        int down = intOr(m, "down_after", d.downAfter());
        int up = intOr(m, "up_after", d.upAfter());
        int qAfter = intOr(m, "quarantine_after", d.quarantineAfter());
        int qMs = intOr(m, "quarantine_ms", d.quarantineMs());
        boolean probing = !m.containsKey("probing") || m.get("probing").bool();
        int timeout = intOr(m, "probe_timeout_ms", d.probeTimeoutMs());
        List<Integer> okCodes = intsOr(m, "ok_codes", d.okCodes());
        List<Integer> sick = intsOr(m, "quarantine_codes", d.quarantineCodes());
        return build(node, () -> new HealthSettings(interval, down, up, qAfter, qMs, probing, timeout, okCodes, sick));
    }

    private static DnsSettings dns(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(DNS);
        int ttl = intOr(m, "ttl_ms", DnsSettings.DEFAULT.ttlMs());
        int negative = intOr(m, "negative_ttl_ms", DnsSettings.DEFAULT.negativeTtlMs());
        return build(node, () -> new DnsSettings(ttl, negative));
    }

    private static CaptureSettings capture(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(CAPTURE);
        String hep = required(node, m, "hep").string();
        int agent = intOr(m, "agent_id", 0);
        return build(m.get("hep"), () -> CaptureSettings.parse(hep, agent));
    }

    private static TlsSettings tls(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(TLS);
        String certificate = stringOr(m, "certificate", null);
        String key = stringOr(m, "key", null);
        requirePair(node, certificate, key);
        String ca = stringOr(m, "ca", null);
        TlsSettings.ClientAuth clientAuth = TlsSettings.ClientAuth.NONE;
        if (m.containsKey("client_auth")) {
            String text = m.get("client_auth").string();
            clientAuth = build(m.get("client_auth"), () -> TlsSettings.ClientAuth.parse(text));
        }
        String minVersion = stringOr(m, "min_version", "TLSv1.2");
        List<TlsSettings.TlsDestination> destinations = new ArrayList<>();
        for (YamlNode item : items(m.get("destinations"))) {
            Map<String, YamlNode> d = item.map(TLS_DESTINATION);
            String host = required(item, d, "host").string();
            int port = intOr(d, "port", 0);
            String dCertificate = stringOr(d, "certificate", null);
            String dKey = stringOr(d, "key", null);
            requirePair(item, dCertificate, dKey);
            boolean verify = !d.containsKey("verify") || d.get("verify").bool();
            destinations.add(build(item, () -> new TlsSettings.TlsDestination(host, port, dCertificate, dKey, verify)));
        }
        TlsSettings.ClientAuth finalClientAuth = clientAuth;
        return build(node, () -> new TlsSettings(certificate, key, ca, finalClientAuth, minVersion, destinations));
    }

    /** A certificate needs its key and the reverse: name the one missing, at its section. */
    private static void requirePair(YamlNode section, String certificate, String key) throws ConfigException {
        if ((certificate == null) != (key == null)) {
            String missing = certificate == null ? "certificate" : "key";
            throw new ConfigException(section.path() + "." + missing, section.line(), "missing (the "
                    + (certificate == null ? "key" : "certificate") + " is set: give both, PEM files, or neither)");
        }
    }

    /** A TLS listener needs the router's own certificate: say so at the listener. */
    private static void checkTlsListeners(SipSettings sip, TlsSettings tls, YamlNode sipNode) throws ConfigException {
        List<ListenAddress> listen = sip.listen();
        for (int i = 0; i < listen.size(); i++) {
            if (listen.get(i).transport() == io.sipvane.core.model.Transport.TLS && !tls.hasCertificate()) {
                String path = "sip.listen[" + i + "]";
                int line = sipNode == null ? 1 : sipNode.locate("listen[" + i + "]").line();
                throw new ConfigException(path, line, "\"" + listen.get(i) + "\" is a TLS listener: it needs tls.certificate and"
                        + " tls.key (the router's certificate chain and private key, PEM)");
            }
        }
    }

    private static ShutdownSettings shutdown(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(SHUTDOWN);
        int grace = intOr(m, "grace_ms", ShutdownSettings.DEFAULT.graceMs());
        return build(node, () -> new ShutdownSettings(grace));
    }

    private static StoreSettings store(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(STORE);
        String typeText = stringOr(m, "type", StoreSettings.Type.FILE.token());
        StoreSettings.Type type = m.containsKey("type") ? build(node, () -> StoreSettings.Type.parse(typeText))
                : StoreSettings.Type.FILE;
        String url = stringOr(m, "url", null);
        String user = stringOr(m, "user", null);
        String password = stringOr(m, "password", null);
        String env = stringOr(m, "password_env", null);
        int poll = intOr(m, "poll_interval_ms", StoreSettings.DEFAULT_POLL_INTERVAL_MS);
        StoreSettings store = build(node, () -> new StoreSettings(type, url, user, password, env, poll));
        if (env != null && System.getenv(env) == null) {
            throw m.get("password_env").fail("environment variable " + env + " is not set");
        }
        return store;
    }

    static Account account(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(ACCOUNT);
        String authId = required(node, m, "auth_id").string();
        String token = stringOr(m, "auth_token", null);
        String env = stringOr(m, "auth_token_env", null);
        String name = stringOr(m, "name", null);
        boolean operator = m.containsKey("operator") && m.get("operator").bool();
        Account account = build(node, () -> new Account(authId, token, env, name, operator));
        if (env != null && System.getenv(env) == null) {
            throw m.get("auth_token_env").fail("environment variable " + env + " is not set");
        }
        return account;
    }

    static Trunk trunk(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(TRUNK);
        UUID id = uuid(required(node, m, "id"));
        String accountId = required(node, m, "account_id").string();
        String name = stringOr(m, "name", null);
        String direction = stringOr(m, "trunk_direction", null);
        TrunkMatch match = TrunkMatch.NONE;
        if (m.containsKey("match")) {
            YamlNode mn = m.get("match");
            Map<String, YamlNode> mm = mn.map(MATCH);
            List<String> numbers = strings(mm.get("numbers"));
            List<String> domains = strings(mm.get("domains"));
            boolean isDefault = mm.containsKey("default") && mm.get("default").bool();
            match = build(mn, () -> new TrunkMatch(numbers, domains, isDefault));
        }
        FailoverOverride failover = m.containsKey("failover") ? failover(m.get("failover")) : FailoverOverride.NONE;
        HealthOverride health = HealthOverride.NONE;
        if (m.containsKey("health")) {
            YamlNode hn = m.get("health");
            Map<String, YamlNode> hm = hn.map(TRUNK_HEALTH);
            Boolean probing = hm.containsKey("probing") ? hm.get("probing").bool() : null;
            Integer interval = hm.containsKey("probe_interval_ms") ? hm.get("probe_interval_ms").integer() : null;
            health = build(hn, () -> new HealthOverride(probing, interval));
        }
        UUID primary = m.containsKey("primary_uri_uuid") && !m.get("primary_uri_uuid").isNull() ? uuid(m.get("primary_uri_uuid")) : null;
        UUID fallback = m.containsKey("fallback_uri_uuid") && !m.get("fallback_uri_uuid").isNull() ? uuid(m.get("fallback_uri_uuid")) : null;
        Instant created = instantOr(m, "created_at");
        Instant updated = instantOr(m, "updated_at");
        TrunkMatch finalMatch = match;
        HealthOverride finalHealth = health;
        return build(node, () -> new Trunk(id, accountId, name, direction, finalMatch, failover, finalHealth, primary, fallback,
                created, updated));
    }

    static OriginationUri originationUri(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.map(URI);
        UUID id = uuid(required(node, m, "id"));
        String accountId = required(node, m, "account_id").string();
        UUID trunkId = m.containsKey("trunk_id") && !m.get("trunk_id").isNull() ? uuid(m.get("trunk_id")) : null;
        String name = stringOr(m, "name", null);
        String uri = required(node, m, "uri").string();
        int priority = intOr(m, "priority", OriginationUri.DEFAULT_PRIORITY);
        int weight = intOr(m, "weight", OriginationUri.DEFAULT_WEIGHT);
        boolean enabled = !m.containsKey("enabled") || m.get("enabled").bool();
        Transport transport = null;
        if (m.containsKey("transport")) {
            String t = m.get("transport").string();
            transport = build(m.get("transport"), () -> Transport.parse(t));
        }
        boolean auth = m.containsKey("authentication_needed") && m.get("authentication_needed").bool();
        String username = stringOr(m, "username", null);
        String password = stringOr(m, "password", null);
        Instant created = instantOr(m, "created_at");
        Instant updated = instantOr(m, "updated_at");
        Transport finalTransport = transport;
        return build(node, () -> new OriginationUri(id, accountId, trunkId, name, uri, null, priority, weight, enabled,
                finalTransport, auth, username, password, created, updated));
    }
}
