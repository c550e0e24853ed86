package io.sipvane.core.routing;

import io.sipvane.core.collect.ShardedMap;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything a call needs to be routed, built once per change of the config or of health and
 * never modified: trunks with their prepared priority groups and first-pick tables, and the
 * indexes that find a call's trunk.
 *
 * <p>Implementation note: a call reads the current snapshot once (see {@link RoutingTable})
 * and uses only it, so a concurrent API write, reload or health change can never hand one
 * call a mix of two. Trunk lookup is a hash lookup of the lower-cased Request-URI host (no
 * allocation when it is lower case already, as hosts nearly always are), then a
 * longest-prefix walk of the user part in a char trie, then the default trunk: no
 * allocation, and no cost that grows with the number of trunks. A domain match yields to a
 * number prefix another account holds, so one tenant's domain never takes the calls to
 * another tenant's numbers (the prefix walk is done on domain hits too). The indexes map to a
 * slot in the trunk array; a health change copies that array (one reference per trunk),
 * replaces the affected trunks and shares the indexes and everything else, so it costs
 * microseconds even with 10,000 trunks. Building from a config is O(trunks + URIs); a rebuild
 * after an API write reuses the trunks the write did not touch and the index's lookups (their
 * URI map, a {@link ShardedMap}, is patched when a trunk's set of URIs changed). The config
 * groups its URIs by trunk and shares the groups a single-URI write left alone
 * ({@link SipvaneConfig#urisOfTrunk}), so such a rebuild pays one reference comparison per
 * trunk and nothing per URI.
 */
public final class RoutingSnapshot {
    private final long version;
    private final SipvaneConfig config;
    private final Index index;
    private final RoutedTrunk[] trunks;
    // the index's lookups copied here: one pointer hop less on the call path
    private final Map<String, Integer> byDomain;
    private final PrefixTrie byNumber;
    private final int defaultSlot;
    /** The origination URIs no trunk routes to; worked out on first use and kept with health changes. */
    private volatile java.util.Set<UUID> unused;

    private RoutingSnapshot(long version, SipvaneConfig config, Index index, RoutedTrunk[] trunks) {
        this.version = version;
        this.config = config;
        this.index = index;
        this.trunks = trunks;
        this.byDomain = index.byDomain;
        this.byNumber = index.byNumber;
        this.defaultSlot = index.defaultSlot;
    }

    /** The origination URIs no trunk routes to ({@link UnusedUris}): not probed, not called. */
    public java.util.Set<UUID> unused() {
        java.util.Set<UUID> u = unused;
        if (u == null) {
            u = java.util.Collections.unmodifiableSet(UnusedUris.of(config));
            unused = u; // a race computes the same set twice, harmlessly
        }
        return u;
    }

    /** A snapshot of this one's config keeps what was worked out from the config alone. */
    private RoutingSnapshot sameConfig(RoutingSnapshot next) {
        next.unused = unused;
        return next;
    }

    /** Builds the snapshot of a config with every destination up; {@code version} increases with every publication. */
    public static RoutingSnapshot build(SipvaneConfig config, long version) {
        return build(config, HealthView.ALL_UP, version);
    }

    /** Builds the snapshot of a config, with first-pick tables as {@code health} says now. */
    public static RoutingSnapshot build(SipvaneConfig config, HealthView health, long version) {
        return build(config, health, version, null);
    }

    /**
     * Builds the snapshot of a config, reusing from {@code previous} (may be null) every
     * trunk whose trunk object, destinations (the same URI objects at the same priorities)
     * and failover defaults are unchanged, and the index's lookups when the trunk list is the
     * same (its URI map patched for the trunks whose set of URIs changed). Reused trunks keep
     * their first-pick tables: health changes not yet applied to {@code previous} must be
     * applied afterwards (the {@link RoutingTable} does).
     */
    static RoutingSnapshot build(SipvaneConfig config, HealthView health, long version, RoutingSnapshot previous) {
        SipvaneConfig before = previous == null ? null : previous.config;
        List<Trunk> list = config.trunks();
        boolean sameTrunks = previous != null && before.trunks() == list;
        boolean sameDefaults = previous != null && before.sip().failover().equals(config.sip().failover());
        // slots whose set of routed URIs changed (same trunk list only): the index is patched for them
        List<Integer> moved = sameTrunks ? new ArrayList<>() : null;
        RoutedTrunk[] trunks = new RoutedTrunk[list.size()];
        for (int slot = 0; slot < trunks.length; slot++) {
            Trunk trunk = list.get(slot);
            RoutedTrunk old = previous == null ? null : sameTrunks ? previous.trunks[slot] : previous.trunk(trunk.id());
            if (old != null && sameDefaults && old.trunk() == trunk && sameDestinations(old, before, config)) {
                trunks[slot] = old;
                continue;
            }
            trunks[slot] = prepare(trunk, config, health, members(trunk, config));
            if (moved != null && !sameIdSet(old.destinations(), trunks[slot].destinations())) {
                moved.add(slot);
            }
        }
        Index index;
        if (moved == null) {
            Index.Builder b = new Index.Builder();
            for (int slot = 0; slot < trunks.length; slot++) {
                b.add(slot, trunks[slot]);
            }
            index = b.build();
        } else if (moved.isEmpty()) {
            index = previous.index; // same trunks at the same slots, routing the same URIs
        } else {
            index = previous.index.withMembership(moved, previous.trunks, trunks);
        }
        return new RoutingSnapshot(version, config, index, trunks);
    }

    /**
     * Whether {@code old}'s trunk routes the same URI objects in {@code config} as in
     * {@code before}: a reference comparison when the config shares the trunk's group of URIs
     * with {@code before} (a write that touched another trunk's URIs), else a walk of the
     * group that allocates nothing.
     */
    private static boolean sameDestinations(RoutedTrunk old, SipvaneConfig before, SipvaneConfig config) {
        Trunk trunk = old.trunk();
        if (trunk.namesUris()) {
            return sameNamed(before, config, trunk.primaryUriId()) && sameNamed(before, config, trunk.fallbackUriId());
        }
        List<OriginationUri> uris = config.urisOfTrunk(trunk.id());
        List<OriginationUri> previousUris = before.urisOfTrunk(trunk.id());
        if (uris.isEmpty()) {
            uris = config.unattachedUris(trunk.accountId());
            previousUris = previousUris.isEmpty() ? before.unattachedUris(trunk.accountId()) : null;
        }
        return uris == previousUris || sameSources(old.destinations(), uris);
    }

    private static boolean sameNamed(SipvaneConfig before, SipvaneConfig config, UUID id) {
        return id == null || before.originationUri(id).orElse(null) == config.originationUri(id).orElse(null);
    }

    /**
     * Whether {@code old}, grouped by priority with config order within, holds exactly the
     * enabled URIs of {@code uris}, the very objects at their priorities: walks {@code uris}
     * once per distinct priority.
     */
    private static boolean sameSources(List<Destination> old, List<OriginationUri> uris) {
        int k = 0;
        int lastPriority = Integer.MIN_VALUE;
        while (k < old.size()) {
            int priority = old.get(k).priority();
            if (priority <= lastPriority) {
                return false;
            }
            for (OriginationUri u : uris) {
                if (u.enabled() && u.priority() == priority) {
                    if (k >= old.size() || old.get(k).source() != u || old.get(k).priority() != priority) {
                        return false;
                    }
                    k++;
                }
            }
            lastPriority = priority;
        }
        int enabled = 0;
        for (OriginationUri u : uris) {
            if (u.enabled()) {
                enabled++;
            }
        }
        return enabled == old.size();
    }

    /** Whether two trunks route the same URIs, in any order or priority (what the index records). */
    private static boolean sameIdSet(List<Destination> a, List<Destination> b) {
        if (a.size() != b.size()) {
            return false;
        }
        if (a.size() > 16) {
            java.util.Set<UUID> ids = new java.util.HashSet<>();
            a.forEach(d -> ids.add(d.id()));
            return b.stream().allMatch(d -> ids.contains(d.id()));
        }
        for (Destination d : b) {
            if (a.stream().noneMatch(o -> o.id().equals(d.id()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * This snapshot with the first-pick tables of the trunks that route any of
     * {@code changed} rebuilt from {@code health}; {@code this} when no trunk routes them.
     */
    RoutingSnapshot withHealth(HealthView health, Collection<UUID> changed, long nextVersion) {
        RoutedTrunk[] next = null;
        for (UUID id : changed) {
            int[] slots = index.slotsByUri.get(id);
            if (slots == null) {
                continue;
            }
            if (next == null) {
                next = trunks.clone();
            }
            for (int slot : slots) {
                next[slot] = trunks[slot].withHealth(health);
            }
        }
        return next == null ? this : sameConfig(new RoutingSnapshot(nextVersion, config, index, next));
    }

    /** This snapshot with every first-pick table rebuilt from {@code health}. */
    RoutingSnapshot withHealth(HealthView health, long nextVersion) {
        RoutedTrunk[] next = new RoutedTrunk[trunks.length];
        for (int slot = 0; slot < trunks.length; slot++) {
            next[slot] = trunks[slot].withHealth(health);
        }
        return sameConfig(new RoutingSnapshot(nextVersion, config, index, next));
    }

    public long version() {
        return version;
    }

    /** The config this snapshot was built from. */
    public SipvaneConfig config() {
        return config;
    }

    public RoutedTrunk trunk(UUID id) {
        Integer slot = index.byId.get(id);
        return slot == null ? null : trunks[slot];
    }

    /**
     * The trunk a request belongs to: exact Request-URI host, case-insensitive (unless the
     * longest prefix of the user belongs to another account's trunk, which then takes the
     * call), then the longest prefix of the Request-URI user (a leading '+' ignored), then the
     * default trunk.
     *
     * @param host the Request-URI host; may be {@code null}
     * @param user the Request-URI user part; may be {@code null}
     * @return the trunk, or {@code null} when nothing matches (the call gets 404)
     */
    public RoutedTrunk trunkFor(String host, String user) {
        RoutedTrunk byNumberMatch = null;
        if (user != null && !user.isEmpty()) {
            int slot = byNumber.longestPrefixOf(user, user.charAt(0) == '+' ? 1 : 0);
            byNumberMatch = slot == PrefixTrie.NONE ? null : trunks[slot];
        }
        if (host != null && !byDomain.isEmpty()) {
            Integer slot = byDomain.get(lowerCase(host));
            if (slot != null) {
                RoutedTrunk t = trunks[slot];
                // another account's number range outranks this account's domain
                boolean othersNumber = byNumberMatch != null
                        && !byNumberMatch.trunk().accountId().equals(t.trunk().accountId());
                return othersNumber ? byNumberMatch : t;
            }
        }
        if (byNumberMatch != null) {
            return byNumberMatch;
        }
        return defaultSlot < 0 ? null : trunks[defaultSlot];
    }

    /** {@code host} itself when it has no upper-case ASCII letter (the common case: no copy). */
    private static String lowerCase(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c > 0x7f) {
                return host.toLowerCase(Locale.ROOT);
            }
        }
        return host;
    }

    /** The enabled destinations of {@code trunk}, in config order. */
    private static List<Destination> members(Trunk trunk, SipvaneConfig config) {
        List<Destination> members = new ArrayList<>();
        if (trunk.namesUris()) {
            // Plivo style: primary at priority 1, fallback at priority 2
            OriginationUri primary = config.originationUri(trunk.primaryUriId()).orElse(null);
            if (primary != null && primary.enabled()) {
                members.add(new Destination(primary, 1));
            }
            if (trunk.fallbackUriId() != null) {
                OriginationUri fallback = config.originationUri(trunk.fallbackUriId()).orElse(null);
                if (fallback != null && fallback.enabled()) {
                    members.add(new Destination(fallback, 2));
                }
            }
        } else {
            List<OriginationUri> uris = config.urisOfTrunk(trunk.id());
            if (uris.isEmpty()) {
                // Vobiz style: a trunk without URIs of its own routes to its account's unattached ones
                uris = config.unattachedUris(trunk.accountId());
            }
            for (OriginationUri u : uris) {
                if (u.enabled()) {
                    members.add(new Destination(u, u.priority()));
                }
            }
        }
        return members;
    }

    private static RoutedTrunk prepare(Trunk trunk, SipvaneConfig config, HealthView health, List<Destination> members) {
        Map<Integer, List<Destination>> byPriority = new TreeMap<>();
        for (Destination d : members) {
            byPriority.computeIfAbsent(d.priority(), p -> new ArrayList<>()).add(d);
        }
        List<PriorityGroup> groups = new ArrayList<>();
        byPriority.forEach((priority, list) -> groups.add(new PriorityGroup(priority, list)));
        return new RoutedTrunk(trunk, config.sip().failover().with(trunk.failover()), groups, health);
    }

    /** The lookups from ids, hosts, numbers and URIs to trunk slots; shared by the health rebuilds of one config. */
    private static final class Index {
        final Map<UUID, Integer> byId;
        /** Keys lower case (ASCII hosts; {@link Locale#ROOT} for anything else). */
        final Map<String, Integer> byDomain;
        final PrefixTrie byNumber;
        /** The slots of the trunks that route each URI (several when trunks share an account's URIs). */
        final ShardedMap<UUID, int[]> slotsByUri;
        final int defaultSlot;

        private Index(Map<UUID, Integer> byId, Map<String, Integer> byDomain, PrefixTrie byNumber,
                      ShardedMap<UUID, int[]> slotsByUri, int defaultSlot) {
            this.byId = byId;
            this.byDomain = byDomain;
            this.byNumber = byNumber;
            this.slotsByUri = slotsByUri;
            this.defaultSlot = defaultSlot;
        }

        /**
         * This index for the same trunks at the same slots, where the trunks at {@code moved}
         * now route other URIs: the lookups are shared and the URI map patched for the URIs
         * of those trunks only (an API write that adds, removes, moves or disables a URI).
         */
        Index withMembership(List<Integer> moved, RoutedTrunk[] before, RoutedTrunk[] after) {
            ShardedMap<UUID, int[]> uris = slotsByUri;
            for (int slot : moved) {
                for (Destination d : before[slot].destinations()) {
                    int[] slots = uris.get(d.id());
                    if (slots != null) {
                        int[] rest = Arrays.stream(slots).filter(s -> s != slot).toArray();
                        uris = rest.length == 0 ? uris.without(d.id()) : uris.with(d.id(), rest);
                    }
                }
            }
            for (int slot : moved) {
                for (Destination d : after[slot].destinations()) {
                    int[] more = withSlot(uris.get(d.id()), slot);
                    if (more != null) {
                        uris = uris.with(d.id(), more);
                    }
                }
            }
            return new Index(byId, byDomain, byNumber, uris, defaultSlot);
        }

        /** {@code slots} with {@code slot} added; null when it holds it already. */
        private static int[] withSlot(int[] slots, int slot) {
            if (slots == null) {
                return new int[] {slot};
            }
            if (Arrays.stream(slots).anyMatch(s -> s == slot)) {
                return null;
            }
            int[] more = Arrays.copyOf(slots, slots.length + 1);
            more[slots.length] = slot;
            return more;
        }

        /** Collects the index of a whole trunk array. */
        static final class Builder {
            private final Map<UUID, Integer> byId = new HashMap<>();
            private final Map<String, Integer> byDomain = new HashMap<>();
            private final PrefixTrie byNumber = new PrefixTrie();
            private final ShardedMap.Builder<UUID, int[]> slotsByUri = ShardedMap.builder();
            private int defaultSlot = -1;

            void add(int slot, RoutedTrunk routed) {
                Trunk trunk = routed.trunk();
                byId.put(trunk.id(), slot);
                for (String domain : trunk.match().domains()) {
                    byDomain.put(domain.toLowerCase(Locale.ROOT), slot);
                }
                for (String number : trunk.match().numbers()) {
                    byNumber.put(TrunkMatch.normalizeNumber(number), slot);
                }
                if (trunk.match().isDefault()) {
                    defaultSlot = slot;
                }
                for (Destination d : routed.destinations()) {
                    int[] more = withSlot(slotsByUri.get(d.id()), slot);
                    if (more != null) {
                        slotsByUri.put(d.id(), more);
                    }
                }
            }

            Index build() {
                return new Index(byId, byDomain, byNumber, slotsByUri.build(), defaultSlot);
            }
        }
    }

    @Override
    public String toString() {
        return "RoutingSnapshot[version=" + version + ", trunks=" + trunks.length + "]";
    }
}
