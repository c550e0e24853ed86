package io.sipvane.core.config;

import io.sipvane.core.collect.ShardedMap;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Cross-object checks. Failures are {@link ConfigReferenceException}s that say which list
 * entry is wrong, so the loader can point at its line.
 */
final class ConfigReferences {
    private ConfigReferences() {}

    /** Checks a whole config's tenant data; returns its index. */
    static TenantIndex check(SelfReference self, List<Account> accounts, List<Trunk> trunks, List<OriginationUri> uris) {
        Set<String> accountIds = new HashSet<>();
        for (int i = 0; i < accounts.size(); i++) {
            if (!accountIds.add(accounts.get(i).authId())) {
                throw new ConfigReferenceException("accounts", i, "auth_id",
                        "duplicate auth_id " + accounts.get(i).authId());
            }
        }
        Map<UUID, Trunk> trunksById = new HashMap<>();
        Map<String, Integer> domains = new HashMap<>();
        Map<String, Integer> numbers = new HashMap<>();
        int defaultTrunk = -1;
        for (int i = 0; i < trunks.size(); i++) {
            Trunk t = trunks.get(i);
            if (trunksById.put(t.id(), t) != null) {
                throw new ConfigReferenceException("trunks", i, "id", "duplicate id " + t.id());
            }
            if (!accountIds.contains(t.accountId())) {
                throw new ConfigReferenceException("trunks", i, "account_id", "unknown account " + t.accountId());
            }
            for (int d = 0; d < t.match().domains().size(); d++) {
                Integer other = domains.putIfAbsent(t.match().domains().get(d), i);
                if (other != null) {
                    throw new ConfigReferenceException("trunks", i, "match.domains[" + d + "]",
                            "domain " + t.match().domains().get(d) + " is already matched by trunks[" + other + "]");
                }
            }
            for (int n = 0; n < t.match().numbers().size(); n++) {
                String prefix = io.sipvane.core.model.TrunkMatch.normalizeNumber(t.match().numbers().get(n));
                Integer other = numbers.putIfAbsent(prefix, i);
                if (other != null) {
                    throw new ConfigReferenceException("trunks", i, "match.numbers[" + n + "]",
                            "prefix " + t.match().numbers().get(n) + " is already matched by trunks[" + other + "]");
                }
            }
            if (t.match().isDefault()) {
                if (defaultTrunk >= 0) {
                    throw new ConfigReferenceException("trunks", i, "match.default",
                            "trunks[" + defaultTrunk + "] is already the default trunk");
                }
                defaultTrunk = i;
            }
        }
        ShardedMap.Builder<UUID, OriginationUri> urisById = ShardedMap.builder();
        for (int i = 0; i < uris.size(); i++) {
            OriginationUri u = uris.get(i);
            if (urisById.get(u.id()) != null || trunksById.containsKey(u.id())) {
                throw new ConfigReferenceException("origination_uris", i, "id", "duplicate id " + u.id());
            }
            urisById.put(u.id(), u);
            checkUri(i, u, accountIds::contains, trunksById, self);
        }
        ShardedMap<UUID, OriginationUri> built = urisById.build();
        for (int i = 0; i < trunks.size(); i++) {
            Trunk t = trunks.get(i);
            checkNamedUri(i, t, t.primaryUriId(), "primary_uri_uuid", built);
            checkNamedUri(i, t, t.fallbackUriId(), "fallback_uri_uuid", built);
        }
        return TenantIndex.of(accounts, trunksById, built, uris, self);
    }

    /**
     * Checks one URI written at position {@code i} of a config whose other objects were
     * checked before: what the whole check would say about it. Its id must be new or the id
     * of the URI it replaces, and its account that URI's (the caller sees to both); a URI a
     * trunk names keeps its account, so those references stay valid.
     */
    static void checkUri(TenantIndex index, int i, OriginationUri u) {
        checkUri(i, u, index.accounts::containsKey, index.trunks, index.self);
    }

    private static void checkUri(int i, OriginationUri u, java.util.function.Predicate<String> accountExists,
                                 Map<UUID, Trunk> trunksById, SelfReference self) {
        if (!accountExists.test(u.accountId())) {
            throw new ConfigReferenceException("origination_uris", i, "account_id", "unknown account " + u.accountId());
        }
        ListenAddress own = self.listenerNamedBy(u);
        if (own != null) {
            throw new ConfigReferenceException("origination_uris", i, "uri",
                    u.uri() + " is this router's own listener " + own + ": calls would loop");
        }
        if (u.trunkId() != null) {
            Trunk owner = trunksById.get(u.trunkId());
            if (owner == null) {
                throw new ConfigReferenceException("origination_uris", i, "trunk_id", "unknown trunk " + u.trunkId());
            }
            if (!owner.accountId().equals(u.accountId())) {
                // the same words as for an id that does not exist: no existence oracle
                throw new ConfigReferenceException("origination_uris", i, "trunk_id", "unknown trunk " + u.trunkId());
            }
        }
    }

    private static void checkNamedUri(int index, Trunk trunk, UUID uriId, String field, ShardedMap<UUID, OriginationUri> uris) {
        if (uriId == null) {
            return;
        }
        OriginationUri uri = uris.get(uriId);
        if (uri == null) {
            throw new ConfigReferenceException("trunks", index, field, "unknown origination URI " + uriId);
        }
        if (!uri.accountId().equals(trunk.accountId())) {
            // the same words as for an id that does not exist: no existence oracle
            throw new ConfigReferenceException("trunks", index, field, "unknown origination URI " + uriId);
        }
    }
}
