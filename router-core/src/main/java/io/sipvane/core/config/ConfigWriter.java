package io.sipvane.core.config;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.FailoverOverride;
import io.sipvane.core.model.FailoverPolicy;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes a {@link SipvaneConfig} as YAML that {@link ConfigLoader} reads back to an equal
 * config, and saves it atomically: write a temp file beside the target, fsync it, rename it
 * over the target, fsync the directory. A crash leaves either the old file or the new one.
 */
public final class ConfigWriter {
    private static final String HEADER = "# sipvane configuration and store. The admin API rewrites this file on every\n"
            + "# accepted write (comments are not kept); edits by hand are reloaded on change.\n";

    private ConfigWriter() {}

    public static String toYaml(SipvaneConfig config) {
        return HEADER + new Dump(settings()).dumpToString(tree(config));
    }

    static DumpSettings settings() {
        return DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(0).setWidth(200).build();
    }

    public static void save(SipvaneConfig config, Path file) throws IOException {
        save(toYaml(config), file);
    }

    /** Saves YAML already made by {@link #toYaml} or {@link Incremental#toYaml}, atomically. */
    public static void save(String yaml, Path file) throws IOException {
        save(yaml.getBytes(StandardCharsets.UTF_8), file);
    }

    /** Saves UTF-8 YAML already made by {@link Incremental#toYamlBytes}, atomically. */
    public static void save(byte[] bytes, Path file) throws IOException {
        save(RenderedYaml.of(bytes), file);
    }

    /** Saves YAML rendered by {@link Incremental#render}, atomically, without joining its fragments first. */
    public static void save(RenderedYaml yaml, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                yaml.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically", e);
            }
            try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
                dirChannel.force(true);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Serialises successive configs of one store, reusing the YAML of every account, trunk
     * and URI that is the same instance as in the previous config (an API write changes one
     * object and keeps the others), so a write costs the serialisation of what changed plus
     * a copy of the rest. The output is exactly {@link ConfigWriter#toYaml}'s, as UTF-8:
     * list items of top-level sequences are emitted at column 0, so an item dumped on its own
     * is the same text as in the whole document.
     *
     * <p>Implementation note: snakeyaml's emitter resolves every scalar against the implicit
     * type patterns to decide its style, about 25 microseconds per URI, which made a full
     * dump of 10,000 URIs take a quarter of a second, twice per write. Fragments are kept
     * encoded, in arrays parallel to the previous config's lists, and an object is matched by
     * reference with the previous item at its index, allowing for one insert or delete
     * before it (an API write replaces, appends or removes one object): one or two reference
     * comparisons per object, no hashing. Anything else is dumped again; an edit by hand
     * makes every object new anyway. Only the previous config's fragments are held, about
     * the size of the file. Not thread-safe: it belongs to
     * the store's writer thread.
     */
    public static final class Incremental {
        private final Dump dump = new Dump(settings());
        private final Section<Account> accounts = new Section<>("accounts", ConfigWriter::account);
        private final Section<Trunk> trunks = new Section<>("trunks", ConfigWriter::trunk);
        private final Section<OriginationUri> uris = new Section<>("origination_uris", ConfigWriter::uri);

        /** The YAML of {@code config}, UTF-8 encoded. */
        public byte[] toYamlBytes(SipvaneConfig config) {
            return render(config).toBytes();
        }

        /** The YAML of {@code config}, as its fragments. */
        public RenderedYaml render(SipvaneConfig config) {
            byte[] head = (HEADER + dump.dumpToString(tree(config, false))).getBytes(StandardCharsets.UTF_8);
            byte[][] a = accounts.render(config.accounts(), dump);
            byte[][] t = trunks.render(config.trunks(), dump);
            byte[][] u = uris.render(config.originationUris(), dump);
            byte[][] parts = new byte[4 + a.length + t.length + u.length][];
            int at = 0;
            parts[at++] = head;
            at = accounts.put(parts, at, a);
            at = trunks.put(parts, at, t);
            uris.put(parts, at, u);
            return new RenderedYaml(parts);
        }

        /** The YAML of {@code config}. */
        public String toYaml(SipvaneConfig config) {
            return new String(toYamlBytes(config), StandardCharsets.UTF_8);
        }
    }

    /** One top-level list and the fragments of its previous items. */
    private static final class Section<T> {
        private final String key;
        private final java.util.function.Function<T, Map<String, Object>> tree;
        private final byte[] header;
        private final byte[] empty;
        private List<T> previous = List.of();
        private byte[][] fragments = new byte[0][];

        Section(String key, java.util.function.Function<T, Map<String, Object>> tree) {
            this.key = key;
            this.tree = tree;
            this.header = (key + ":\n").getBytes(StandardCharsets.UTF_8);
            this.empty = (key + ": []\n").getBytes(StandardCharsets.UTF_8);
        }

        byte[][] render(List<T> items, Dump dump) {
            byte[][] next = new byte[items.size()][];
            // items[i] is compared with previous[i + shift]; an insert or a delete moves the shift
            int shift = 0;
            for (int i = 0; i < next.length; i++) {
                T item = items.get(i);
                byte[] yaml = null;
                if (same(item, i + shift)) {
                    yaml = fragments[i + shift];
                } else if (same(item, i + shift + 1)) {
                    shift++; // one item was deleted here
                    yaml = fragments[i + shift];
                } else if (same(item, i + shift - 1)) {
                    shift--; // one item was inserted before this one
                    yaml = fragments[i + shift];
                }
                if (yaml == null) {
                    yaml = dump.dumpToString(List.of(tree.apply(item))).getBytes(StandardCharsets.UTF_8);
                }
                next[i] = yaml;
            }
            previous = items;
            fragments = next;
            return next;
        }

        private boolean same(T item, int previousIndex) {
            return previousIndex >= 0 && previousIndex < previous.size() && previous.get(previousIndex) == item;
        }

        /** Puts the key line and {@code fragments} into {@code parts} from {@code at}; returns the next index. */
        int put(byte[][] parts, int at, byte[][] fragments) {
            parts[at++] = fragments.length == 0 ? empty : header;
            System.arraycopy(fragments, 0, parts, at, fragments.length);
            return at + fragments.length;
        }

        @Override
        public String toString() {
            return "Section[" + key + ", " + fragments.length + " items]";
        }
    }

    private static Map<String, Object> tree(SipvaneConfig config) {
        return tree(config, true);
    }

    private static Map<String, Object> tree(SipvaneConfig config, boolean lists) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> sip = new LinkedHashMap<>();
        sip.put("listen", config.sip().listen().stream().map(ListenAddress::toString).toList());
        if (config.sip().allowFrom() != null) {
            sip.put("allow_from", config.sip().allowFrom().stream().map(Cidr::toString).toList());
        }
        FailoverPolicy f = config.sip().failover();
        sip.put("failover", failover(f.onCodes(), f.attemptTimeoutMs(), f.maxAttempts()));
        sip.put("max_in_flight", config.sip().maxInFlight());
        sip.put("preloaded_route", config.sip().preloadedRoute().token());
        putIfSet(sip, "route_secret_env", config.sip().routeSecretEnv());
        root.put("sip", sip);
        Map<String, Object> admin = new LinkedHashMap<>();
        admin.put("listen", config.admin().toString());
        putIfSet(admin, "metrics_token", config.admin().metricsToken());
        putIfSet(admin, "metrics_token_env", config.admin().metricsTokenEnv());
        if (config.admin().idleTimeoutMs() != AdminSettings.DEFAULT_IDLE_TIMEOUT_MS) {
            admin.put("idle_timeout_ms", config.admin().idleTimeoutMs());
        }
        root.put("admin", admin);
        HealthSettings h = config.health();
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("probing", h.probing());
        health.put("probe_interval_ms", h.probeIntervalMs());
        health.put("probe_timeout_ms", h.probeTimeoutMs());
        health.put("down_after", h.downAfter());
        health.put("up_after", h.upAfter());
        health.put("ok_codes", h.okCodes());
        health.put("quarantine_after", h.quarantineAfter());
        health.put("quarantine_ms", h.quarantineMs());
        health.put("quarantine_codes", h.quarantineCodes());
        root.put("health", health);
        Map<String, Object> dns = new LinkedHashMap<>();
        dns.put("ttl_ms", config.dns().ttlMs());
        dns.put("negative_ttl_ms", config.dns().negativeTtlMs());
        root.put("dns", dns);
        root.put("shutdown", Map.of("grace_ms", config.shutdown().graceMs()));
        if (!config.store().isFile()) {
            StoreSettings st = config.store();
            Map<String, Object> store = new LinkedHashMap<>();
            store.put("type", st.type().token());
            store.put("url", st.url());
            store.put("user", st.user());
            putIfSet(store, "password", st.password());
            putIfSet(store, "password_env", st.passwordEnv());
            store.put("poll_interval_ms", st.pollIntervalMs());
            root.put("store", store);
        }
        putIfSet(root, "instance", config.instance());
        if (config.logging().maskNumbers()) {
            root.put("logging", Map.of("mask_numbers", true));
        }
        if (config.capture().enabled()) {
            Map<String, Object> capture = new LinkedHashMap<>();
            capture.put("hep", config.capture().hep());
            capture.put("agent_id", config.capture().agentId());
            root.put("capture", capture);
        }
        if (!config.tls().equals(TlsSettings.DEFAULT)) {
            root.put("tls", tls(config.tls()));
        }
        if (!lists) {
            return root;
        }
        List<Object> accounts = new ArrayList<>();
        for (Account a : config.accounts()) {
            accounts.add(account(a));
        }
        root.put("accounts", accounts);
        List<Object> trunks = new ArrayList<>();
        for (Trunk t : config.trunks()) {
            trunks.add(trunk(t));
        }
        root.put("trunks", trunks);
        List<Object> uris = new ArrayList<>();
        for (OriginationUri u : config.originationUris()) {
            uris.add(uri(u));
        }
        root.put("origination_uris", uris);
        return root;
    }

    private static Map<String, Object> tls(TlsSettings t) {
        Map<String, Object> tls = new LinkedHashMap<>();
        putIfSet(tls, "certificate", t.certificate());
        putIfSet(tls, "key", t.key());
        putIfSet(tls, "ca", t.ca());
        tls.put("client_auth", t.clientAuth().token());
        tls.put("min_version", t.minVersion());
        if (!t.destinations().isEmpty()) {
            List<Object> destinations = new ArrayList<>();
            for (TlsSettings.TlsDestination d : t.destinations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", d.host().indexOf(':') >= 0 ? "[" + d.host() + "]" : d.host());
                if (d.port() != 0) {
                    m.put("port", d.port());
                }
                putIfSet(m, "certificate", d.certificate());
                putIfSet(m, "key", d.key());
                if (!d.verify()) {
                    m.put("verify", false);
                }
                destinations.add(m);
            }
            tls.put("destinations", destinations);
        }
        return tls;
    }

    static Map<String, Object> account(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auth_id", a.authId());
        putIfSet(m, "auth_token", a.authToken());
        putIfSet(m, "auth_token_env", a.authTokenEnv());
        putIfSet(m, "name", a.name());
        if (a.operator()) {
            m.put("operator", true);
        }
        return m;
    }

    static Map<String, Object> trunk(Trunk t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id().toString());
        m.put("account_id", t.accountId());
        m.put("name", t.name());
        m.put("trunk_direction", t.direction());
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("numbers", t.match().numbers());
        match.put("domains", t.match().domains());
        match.put("default", t.match().isDefault());
        m.put("match", match);
        FailoverOverride o = t.failover();
        if (!o.isEmpty()) {
            m.put("failover", failover(o.onCodes(), o.attemptTimeoutMs(), o.maxAttempts()));
        }
        if (!t.health().isEmpty()) {
            Map<String, Object> trunkHealth = new LinkedHashMap<>();
            putIfSet(trunkHealth, "probing", t.health().probing());
            putIfSet(trunkHealth, "probe_interval_ms", t.health().probeIntervalMs());
            m.put("health", trunkHealth);
        }
        putIfSet(m, "primary_uri_uuid", t.primaryUriId());
        putIfSet(m, "fallback_uri_uuid", t.fallbackUriId());
        putIfSet(m, "created_at", timestamp(t.createdAt()));
        putIfSet(m, "updated_at", timestamp(t.updatedAt()));
        return m;
    }

    static Map<String, Object> uri(OriginationUri u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id().toString());
        m.put("account_id", u.accountId());
        putIfSet(m, "trunk_id", u.trunkId());
        m.put("name", u.name());
        m.put("uri", u.uri());
        m.put("priority", u.priority());
        m.put("weight", u.weight());
        m.put("enabled", u.enabled());
        m.put("transport", u.transport().token());
        m.put("authentication_needed", u.authenticationNeeded());
        putIfSet(m, "username", u.username());
        putIfSet(m, "password", u.password());
        putIfSet(m, "created_at", timestamp(u.createdAt()));
        putIfSet(m, "updated_at", timestamp(u.updatedAt()));
        return m;
    }

    private static Map<String, Object> failover(List<Integer> codes, Integer timeout, Integer max) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfSet(m, "on_codes", codes);
        putIfSet(m, "attempt_timeout_ms", timeout);
        putIfSet(m, "max_attempts", max);
        return m;
    }

    private static String timestamp(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value instanceof java.util.UUID ? value.toString() : value);
        }
    }
}
