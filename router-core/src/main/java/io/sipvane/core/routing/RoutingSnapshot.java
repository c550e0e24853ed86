package io.sipvane.core.routing;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything a call needs to be routed, built once per change of the config and never
 * modified: trunks with their prepared priority groups, and the indexes that find a call's
 * trunk.
 *
 * <p>Implementation note: a call reads the current snapshot once (see {@link RoutingTable})
 * and uses only it, so a concurrent API write or reload can never hand one call a mix of two
 * configs. Trunk lookup is a case-insensitive map lookup on the Request-URI host, then a
 * longest-prefix walk of the user part in a char trie, then the default trunk: no
 * allocation. A domain match yields to a number prefix another account holds, so one
 * tenant's domain never takes the calls to another tenant's numbers (one more trie walk,
 * on domain hits only).
 */
public final class RoutingSnapshot {
    private final long version;
    private final SipvaneConfig config;
    private final Map<UUID, RoutedTrunk> byId;
    private final Map<String, RoutedTrunk> byDomain;
    private final PrefixTrie<RoutedTrunk> byNumber;
    private final RoutedTrunk defaultTrunk;
    private final java.util.Set<UUID> unused;

    private RoutingSnapshot(long version, SipvaneConfig config) {
        this.version = version;
        this.config = config;
        Map<UUID, RoutedTrunk> ids = new HashMap<>();
        Map<String, RoutedTrunk> domains = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        PrefixTrie<RoutedTrunk> numbers = new PrefixTrie<>();
        RoutedTrunk fallback = null;
        for (Trunk trunk : config.trunks()) {
            RoutedTrunk routed = prepare(trunk, config);
            ids.put(trunk.id(), routed);
            for (String domain : trunk.match().domains()) {
                domains.put(domain, routed);
            }
            for (String number : trunk.match().numbers()) {
                numbers.put(TrunkMatch.normalizeNumber(number), routed);
            }
            if (trunk.match().isDefault()) {
                fallback = routed;
            }
        }
        this.byId = Map.copyOf(ids);
        this.byDomain = domains;
        this.byNumber = numbers;
        this.defaultTrunk = fallback;
        this.unused = java.util.Collections.unmodifiableSet(UnusedUris.of(config));
    }

    /** The origination URIs no trunk routes to ({@link UnusedUris}): not probed, not called. */
    public java.util.Set<UUID> unused() {
        return unused;
    }

    /** Builds the snapshot of a config; {@code version} increases with every publication. */
    public static RoutingSnapshot build(SipvaneConfig config, long version) {
        return new RoutingSnapshot(version, config);
    }

    public long version() {
        return version;
    }

    /** The config this snapshot was built from. */
    public SipvaneConfig config() {
        return config;
    }

    public RoutedTrunk trunk(UUID id) {
        return byId.get(id);
    }

    /**
     * The trunk a request belongs to: exact Request-URI host (unless the longest prefix of the
     * user belongs to another account's trunk, which then takes the call), then the longest
     * prefix of the Request-URI user (a leading '+' ignored), then the default trunk.
     *
     * @param host the Request-URI host; may be {@code null}
     * @param user the Request-URI user part; may be {@code null}
     * @return the trunk, or {@code null} when nothing matches (the call gets 404)
     */
    public RoutedTrunk trunkFor(String host, String user) {
        RoutedTrunk byNumberMatch = user != null && !user.isEmpty()
                ? byNumber.longestPrefixOf(user, user.charAt(0) == '+' ? 1 : 0) : null;
        if (host != null && !byDomain.isEmpty()) {
            RoutedTrunk t = byDomain.get(host);
            if (t != null) {
                // another account's number range outranks this account's domain
                boolean othersNumber = byNumberMatch != null
                        && !byNumberMatch.trunk().accountId().equals(t.trunk().accountId());
                return othersNumber ? byNumberMatch : t;
            }
        }
        return byNumberMatch != null ? byNumberMatch : defaultTrunk;
    }

    private static RoutedTrunk prepare(Trunk trunk, SipvaneConfig config) {
        List<Destination> members = new ArrayList<>();
        if (trunk.namesUris()) {
            // Plivo style: primary at priority 1, fallback at priority 2
            config.originationUri(trunk.primaryUriId()).filter(OriginationUri::enabled)
                    .ifPresent(u -> members.add(new Destination(u, 1)));
            if (trunk.fallbackUriId() != null) {
                config.originationUri(trunk.fallbackUriId()).filter(OriginationUri::enabled)
                        .ifPresent(u -> members.add(new Destination(u, 2)));
            }
        } else {
            boolean owns = config.originationUris().stream().anyMatch(u -> trunk.id().equals(u.trunkId()));
            for (OriginationUri u : config.originationUris()) {
                boolean belongs = owns
                        ? trunk.id().equals(u.trunkId())
                        : u.trunkId() == null && u.accountId().equals(trunk.accountId());
                if (belongs && u.enabled()) {
                    members.add(new Destination(u, u.priority()));
                }
            }
        }
        Map<Integer, List<Destination>> byPriority = new TreeMap<>();
        for (Destination d : members) {
            byPriority.computeIfAbsent(d.priority(), p -> new ArrayList<>()).add(d);
        }
        List<PriorityGroup> groups = new ArrayList<>();
        byPriority.forEach((priority, list) -> groups.add(new PriorityGroup(priority, list)));
        return new RoutedTrunk(trunk, config.sip().failover().with(trunk.failover()), groups);
    }

    @Override
    public String toString() {
        return "RoutingSnapshot[version=" + version + ", trunks=" + byId.size() + "]";
    }

}
