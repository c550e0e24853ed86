package io.sipvane.admin.console;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the console shows of one trunk: its URIs grouped by the priority they route at, each
 * with its configured and observed share of the priority, health and recent traffic.
 *
 * <p>Which URIs a trunk routes follows the routing snapshot's rules (primary at 1 and fallback
 * at 2 when the trunk names them, else its own URIs, else the account's URIs without a trunk)
 * but keeps disabled URIs, which the snapshot drops: the console must show them to enable
 * them again.
 *
 * @param namesUris  Plivo style: priorities come from the primary/fallback roles
 * @param groups     by priority, lowest first
 */
record TrunkView(Trunk trunk, boolean namesUris, List<Group> groups) {

    /** One priority level. */
    record Group(int priority, List<Row> rows) {}

    /**
     * One URI.
     *
     * @param configuredShare its weight over the weights of the enabled URIs of its priority (0 when disabled)
     * @param observedShare   its calls over the calls of its priority in the last five minutes, or null without calls
     */
    record Row(OriginationUri uri, int priority, double configuredShare, Double observedShare,
               ConsoleData.UriHealth health, ConsoleData.UriTraffic traffic) {}

    /** The lowest priority this trunk routes at, or 0 without URIs. */
    int bestPriority() {
        return groups.isEmpty() ? 0 : groups.get(0).priority();
    }

    /** Every trunk of the account, in config order; then, under a null trunk, the account's URIs no trunk routes to. */
    static List<TrunkView> of(SipvaneConfig config, String accountId, ConsoleData data) {
        Map<UUID, OriginationUri> byId = new LinkedHashMap<>();
        for (OriginationUri u : config.originationUris()) {
            if (u.accountId().equals(accountId)) {
                byId.put(u.id(), u);
            }
        }
        Set<UUID> routed = new HashSet<>();
        List<TrunkView> views = new ArrayList<>();
        for (Trunk trunk : config.trunks()) {
            if (!trunk.accountId().equals(accountId)) {
                continue;
            }
            Map<UUID, Integer> members = members(trunk, byId);
            routed.addAll(members.keySet());
            views.add(new TrunkView(trunk, trunk.namesUris(), groups(members, byId, data)));
        }
        Map<UUID, Integer> unrouted = new LinkedHashMap<>();
        byId.values().stream().filter(u -> !routed.contains(u.id())).forEach(u -> unrouted.put(u.id(), u.priority()));
        if (!unrouted.isEmpty()) {
            views.add(new TrunkView(null, false, groups(unrouted, byId, data)));
        }
        return views;
    }

    /** URI id to the priority it routes at. */
    private static Map<UUID, Integer> members(Trunk trunk, Map<UUID, OriginationUri> accountUris) {
        Map<UUID, Integer> members = new LinkedHashMap<>();
        if (trunk.namesUris()) {
            if (accountUris.containsKey(trunk.primaryUriId())) {
                members.put(trunk.primaryUriId(), 1);
            }
            if (trunk.fallbackUriId() != null && accountUris.containsKey(trunk.fallbackUriId())) {
                members.put(trunk.fallbackUriId(), 2);
            }
            return members;
        }
        for (OriginationUri u : accountUris.values()) {
            if (trunk.id().equals(u.trunkId())) {
                members.put(u.id(), u.priority());
            }
        }
        if (members.isEmpty()) {
            for (OriginationUri u : accountUris.values()) {
                if (u.trunkId() == null) {
                    members.put(u.id(), u.priority());
                }
            }
        }
        return members;
    }

    private static List<Group> groups(Map<UUID, Integer> members, Map<UUID, OriginationUri> byId, ConsoleData data) {
        Map<Integer, List<OriginationUri>> byPriority = new TreeMap<>();
        members.forEach((id, priority) -> byPriority.computeIfAbsent(priority, p -> new ArrayList<>()).add(byId.get(id)));
        List<Group> groups = new ArrayList<>();
        byPriority.forEach((priority, uris) -> {
            long weights = uris.stream().filter(OriginationUri::enabled).mapToLong(OriginationUri::weight).sum();
            Map<UUID, ConsoleData.UriTraffic> traffic = new LinkedHashMap<>();
            for (OriginationUri u : uris) {
                traffic.put(u.id(), data.traffic(u.id()));
            }
            long calls = traffic.values().stream().mapToLong(ConsoleData.UriTraffic::calls).sum();
            List<Row> rows = new ArrayList<>();
            for (OriginationUri u : uris) {
                double configured = u.enabled() && weights > 0 ? (double) u.weight() / weights : 0;
                ConsoleData.UriTraffic t = traffic.get(u.id());
                Double observed = calls > 0 ? (double) t.calls() / calls : null;
                rows.add(new Row(u, priority, configured, observed, data.health(u.id()), t));
            }
            groups.add(new Group(priority, rows));
        });
        return groups;
    }
}
