package io.sipvane.core.config;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * What one write changed in the tenant data, as the file store's journal records it and the
 * PostgreSQL store writes and follows it: per list (accounts, trunks, origination URIs) the
 * ids removed and the objects set (replaced where their id is, else added at the end), or,
 * when the write reordered a list, the whole list. Applying a change to any config the journal's earlier changes were applied to gives
 * the config the write made, so replaying a journal over a file written part way through it
 * is safe.
 *
 * <p>Implementation note: {@link #between} finds the change by reference, as the writer's
 * YAML cache does: the common prefix and suffix of the two lists are the same instances, and
 * what lies between is replaced in place (same ids at the same positions), appended, or
 * removed. One pass of reference comparisons; a write of one URI among 100,000 records one
 * URI. The record is YAML with the config file's own object syntax and checks.
 */
public final class TenantChange {
    private static final String SET = "set";
    private static final String REMOVED = "removed";
    private static final String ALL = "all";
    private static final Set<String> PART = YamlFields.keys(SET, REMOVED, ALL);
    private static final Set<String> ROOT = YamlFields.keys("accounts", "trunks", "origination_uris");
    /** Up to this many URIs set or removed, and nothing else, a change is applied one URI at a time. */
    private static final int ONE_AT_A_TIME = 64;

    private final Part<Account> accounts;
    private final Part<Trunk> trunks;
    private final Part<OriginationUri> uris;

    /**
     * One list's change: {@code all} the whole new list (then the others are empty), or the
     * keys {@code removed} (an account's auth id, a trunk's or URI's id) and the objects
     * {@code set}, applied in that order.
     */
    public record Part<T>(List<T> all, List<T> set, List<String> removed) {
        public Part {
            all = all == null ? null : List.copyOf(all);
            set = List.copyOf(set);
            removed = List.copyOf(removed);
        }

        public static <T> Part<T> none() {
            return new Part<>(null, List.of(), List.of());
        }

        /** Objects set and keys removed. */
        public static <T> Part<T> of(List<T> set, List<String> removed) {
            return new Part<>(null, set, removed);
        }

        public boolean isEmpty() {
            return all == null && set.isEmpty() && removed.isEmpty();
        }
    }

    private TenantChange(Part<Account> accounts, Part<Trunk> trunks, Part<OriginationUri> uris) {
        this.accounts = accounts;
        this.trunks = trunks;
        this.uris = uris;
    }

    public static TenantChange of(Part<Account> accounts, Part<Trunk> trunks, Part<OriginationUri> uris) {
        return new TenantChange(accounts, trunks, uris);
    }

    public Part<Account> accounts() {
        return accounts;
    }

    public Part<Trunk> trunks() {
        return trunks;
    }

    public Part<OriginationUri> originationUris() {
        return uris;
    }

    private static String key(Account a) {
        return a.authId();
    }

    private static String key(Trunk t) {
        return t.id().toString();
    }

    private static String key(OriginationUri u) {
        return u.id().toString();
    }

    /** The change that turns {@code before}'s tenant data into {@code after}'s. */
    public static TenantChange between(SipvaneConfig before, SipvaneConfig after) {
        return new TenantChange(diff(before.accounts(), after.accounts(), TenantChange::key),
                diff(before.trunks(), after.trunks(), TenantChange::key),
                diff(before.originationUris(), after.originationUris(), TenantChange::key));
    }

    static <T> Part<T> diff(List<T> before, List<T> after, Function<T, String> key) {
        if (before == after) {
            return Part.none();
        }
        int shorter = Math.min(before.size(), after.size());
        int prefix = 0;
        while (prefix < shorter && before.get(prefix) == after.get(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < shorter - prefix
                && before.get(before.size() - 1 - suffix) == after.get(after.size() - 1 - suffix)) {
            suffix++;
        }
        List<T> gone = before.subList(prefix, before.size() - suffix);
        List<T> came = after.subList(prefix, after.size() - suffix);
        if (gone.size() == came.size()) {
            List<T> replaced = new ArrayList<>();
            boolean inPlace = true;
            for (int i = 0; i < came.size() && inPlace; i++) {
                inPlace = key.apply(gone.get(i)).equals(key.apply(came.get(i)));
                if (came.get(i) != gone.get(i)) {
                    replaced.add(came.get(i));
                }
            }
            if (inPlace) {
                return new Part<>(null, List.copyOf(replaced), List.of());
            }
        }
        if (gone.isEmpty() && suffix == 0 && newKeys(before, came, key)) {
            return new Part<>(null, List.copyOf(came), List.of()); // added at the end
        }
        if (came.isEmpty()) {
            return new Part<>(null, List.of(), gone.stream().map(key).toList());
        }
        return new Part<>(List.copyOf(after), List.of(), List.of());
    }

    /** Whether no key of {@code added} is in {@code list} (then setting them appends them). */
    private static <T> boolean newKeys(List<T> list, List<T> added, Function<T, String> key) {
        if (added.size() > 8) {
            return false; // rare (a bulk import): the whole list is recorded instead of hashing this one
        }
        Set<String> keys = new HashSet<>();
        added.forEach(t -> keys.add(key.apply(t)));
        for (T t : list) {
            if (keys.contains(key.apply(t))) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return accounts.isEmpty() && trunks.isEmpty() && uris.isEmpty();
    }

    /**
     * {@code config} with this change applied, checked as a whole (a
     * {@link ConfigReferenceException} when it does not fit). A change of a few URIs only is
     * applied one URI at a time ({@link SipvaneConfig#withOriginationUri}), which checks and
     * indexes just those: the same result, without a pass over every URI.
     */
    public SipvaneConfig applyTo(SipvaneConfig config) {
        if (isEmpty()) {
            return config;
        }
        if (accounts.isEmpty() && trunks.isEmpty() && uris.all() == null
                && uris.set().size() + uris.removed().size() <= ONE_AT_A_TIME) {
            SipvaneConfig next = config;
            for (String id : uris.removed()) {
                next = next.withoutOriginationUri(java.util.UUID.fromString(id));
            }
            for (OriginationUri u : uris.set()) {
                next = next.withOriginationUri(u);
            }
            return next;
        }
        return config.withTenantData(apply(config.accounts(), accounts, TenantChange::key),
                apply(config.trunks(), trunks, TenantChange::key), apply(config.originationUris(), uris, TenantChange::key));
    }

    private static <T> List<T> apply(List<T> list, Part<T> part, Function<T, String> key) {
        if (part.all() != null) {
            return part.all();
        }
        if (part.isEmpty()) {
            return list;
        }
        List<T> out = new ArrayList<>(list);
        if (!part.removed().isEmpty()) {
            Set<String> removed = new HashSet<>(part.removed());
            out.removeIf(t -> removed.contains(key.apply(t)));
        }
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            at.put(key.apply(out.get(i)), i);
        }
        for (T t : part.set()) {
            Integer i = at.get(key.apply(t));
            if (i != null) {
                out.set(i, t);
            } else {
                at.put(key.apply(t), out.size());
                out.add(t);
            }
        }
        return out;
    }

    /** The change as a YAML document, UTF-8 encoded: the objects in the config file's syntax. */
    public byte[] toYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        put(root, "accounts", accounts, ConfigWriter::account);
        put(root, "trunks", trunks, ConfigWriter::trunk);
        put(root, "origination_uris", uris, ConfigWriter::uri);
        return new Dump(ConfigWriter.settings()).dumpToString(root).getBytes(StandardCharsets.UTF_8);
    }

    private static <T> void put(Map<String, Object> root, String name, Part<T> part, Function<T, Map<String, Object>> tree) {
        if (part.isEmpty()) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (part.all() != null) {
            m.put(ALL, part.all().stream().map(tree).toList());
        }
        if (!part.set().isEmpty()) {
            m.put(SET, part.set().stream().map(tree).toList());
        }
        if (!part.removed().isEmpty()) {
            m.put(REMOVED, part.removed());
        }
        root.put(name, m);
    }

    /** Reads a change written by {@link #toYaml}; every object is checked as the config file's are. */
    public static TenantChange parse(String yaml, String sourceName) throws ConfigException {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(sourceName).setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(10).setCodePointLimit(ConfigLoader.CODE_POINT_LIMIT).build();
            Optional<Node> composed = new Compose(settings).composeString(yaml);
            if (composed.isEmpty()) {
                return new TenantChange(Part.none(), Part.none(), Part.none());
            }
            root = composed.get();
        } catch (YamlEngineException e) {
            throw new ConfigException("", 0, "invalid YAML: " + e.getMessage());
        }
        Map<String, YamlNode> top = new YamlNode(root, "", 1).map(ROOT);
        return new TenantChange(part(top.get("accounts"), ConfigLoader::account),
                part(top.get("trunks"), ConfigLoader::trunk), part(top.get("origination_uris"), ConfigLoader::originationUri));
    }

    private interface Reader<T> {
        T read(YamlNode node) throws ConfigException;
    }

    private static <T> Part<T> part(YamlNode node, Reader<T> reader) throws ConfigException {
        if (node == null) {
            return Part.none();
        }
        Map<String, YamlNode> m = node.map(PART);
        List<T> all = m.containsKey(ALL) ? objects(m.get(ALL), reader) : null;
        List<T> set = m.containsKey(SET) ? objects(m.get(SET), reader) : List.of();
        List<String> removed = m.containsKey(REMOVED) ? YamlFields.strings(m.get(REMOVED)) : List.of();
        return new Part<>(all, set, removed);
    }

    private static <T> List<T> objects(YamlNode node, Reader<T> reader) throws ConfigException {
        List<T> out = new ArrayList<>();
        for (YamlNode n : YamlFields.items(node)) {
            out.add(reader.read(n));
        }
        return out;
    }

    @Override
    public String toString() {
        return "TenantChange[accounts=" + accounts + ", trunks=" + trunks + ", uris=" + uris + "]";
    }
}
