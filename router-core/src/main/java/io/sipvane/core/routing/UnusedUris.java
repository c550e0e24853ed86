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

    /** The ids of unused URIs, in file order (disabled URIs count as used when a trunk would use them). */
    public static Set<UUID> of(SipvaneConfig config) {
        Set<UUID> used = new java.util.HashSet<>();
        for (Trunk trunk : config.trunks()) {
            if (trunk.namesUris()) {
                used.add(trunk.primaryUriId());
                if (trunk.fallbackUriId() != null) {
                    used.add(trunk.fallbackUriId());
                }
                continue;
            }
            boolean owns = config.originationUris().stream().anyMatch(u -> trunk.id().equals(u.trunkId()));
            for (OriginationUri u : config.originationUris()) {
                if (owns ? trunk.id().equals(u.trunkId()) : u.trunkId() == null && u.accountId().equals(trunk.accountId())) {
                    used.add(u.id());
                }
            }
        }
        Set<UUID> unused = new LinkedHashSet<>();
        for (OriginationUri u : config.originationUris()) {
            if (!used.contains(u.id())) {
                unused.add(u.id());
            }
        }
        return unused;
    }
}
