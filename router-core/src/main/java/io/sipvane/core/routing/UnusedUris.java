package io.sipvane.core.routing;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The origination URIs no trunk routes to, by the rules of {@link RoutingSnapshot}: a trunk
 * that names a primary (and fallback) uses those; else the URIs whose {@code trunk_id} is
 * the trunk; else, when it owns none, its account's URIs without a {@code trunk_id}. So an
 * account-level URI is unused when every trunk of its account names URIs or owns some. Such
 * a URI is never probed and never called.
 */
public final class UnusedUris {
    private UnusedUris() {}

    /**
     * The ids of unused URIs, in file order (disabled URIs count as used when a trunk would use
     * them). One pass over trunks and one over URIs: it runs on every publication.
     */
    public static Set<UUID> of(SipvaneConfig config) {
        java.util.Map<UUID, Trunk> trunks = new java.util.HashMap<>();
        Set<UUID> named = new java.util.HashSet<>();
        for (Trunk trunk : config.trunks()) {
            trunks.put(trunk.id(), trunk);
            if (trunk.namesUris()) {
                named.add(trunk.primaryUriId());
                if (trunk.fallbackUriId() != null) {
                    named.add(trunk.fallbackUriId());
                }
            }
        }
        Set<UUID> owning = new java.util.HashSet<>();
        for (OriginationUri u : config.originationUris()) {
            if (u.trunkId() != null) {
                owning.add(u.trunkId());
            }
        }
        // accounts with a trunk that neither names URIs nor owns any: it routes to their account-level URIs
        Set<String> accountLevel = new java.util.HashSet<>();
        for (Trunk trunk : config.trunks()) {
            if (!trunk.namesUris() && !owning.contains(trunk.id())) {
                accountLevel.add(trunk.accountId());
            }
        }
        Set<UUID> unused = new LinkedHashSet<>();
        for (OriginationUri u : config.originationUris()) {
            Trunk owner = u.trunkId() == null ? null : trunks.get(u.trunkId());
            boolean used = named.contains(u.id())
                    || (owner != null ? !owner.namesUris() : u.trunkId() == null && accountLevel.contains(u.accountId()));
            if (!used) {
                unused.add(u.id());
            }
        }
        return unused;
    }
}
