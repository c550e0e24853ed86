package io.sipvane.core.config;

import io.sipvane.core.collect.ShardedMap;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One config's tenant data looked up by id, and its URIs grouped by trunk and by account
 * (config order within each group): built by the full reference check and patched by a
 * single URI's change, so that finding an object, checking a write and rebuilding the
 * routing snapshot never scan 100,000 URIs.
 *
 * <p>Implementation note: the URI lookups are {@link ShardedMap}s and the groups immutable
 * lists, so a patched index shares every group the change did not touch; the routing
 * snapshot relies on that, reusing a trunk when its group is the same list instance.
 * Accounts and trunks change through the full check only (a write of one of them rebuilds
 * this index); they are few next to the URIs.
 */
final class TenantIndex {
    final Map<String, Account> accounts;
    final Map<UUID, Trunk> trunks;
    final ShardedMap<UUID, OriginationUri> uris;
    /** A trunk's own URIs (those whose {@code trunk_id} it is); absent when it owns none. */
    final ShardedMap<UUID, List<OriginationUri>> byTrunk;
    /** An account's URIs without a {@code trunk_id}; absent when it has none. */
    final ShardedMap<String, List<OriginationUri>> unattached;
    final SelfReference self;

    private TenantIndex(Map<String, Account> accounts, Map<UUID, Trunk> trunks, ShardedMap<UUID, OriginationUri> uris,
                        ShardedMap<UUID, List<OriginationUri>> byTrunk,
                        ShardedMap<String, List<OriginationUri>> unattached, SelfReference self) {
        this.accounts = accounts;
        this.trunks = trunks;
        this.uris = uris;
        this.byTrunk = byTrunk;
        this.unattached = unattached;
        this.self = self;
    }

    /** The index of lists already checked against each other. */
    static TenantIndex of(List<Account> accounts, Map<UUID, Trunk> trunks, ShardedMap<UUID, OriginationUri> uris,
                          List<OriginationUri> list, SelfReference self) {
        Map<String, Account> byAuthId = new HashMap<>();
        accounts.forEach(a -> byAuthId.put(a.authId(), a));
        Map<UUID, List<OriginationUri>> own = new HashMap<>();
        Map<String, List<OriginationUri>> loose = new HashMap<>();
        for (OriginationUri u : list) {
            if (u.trunkId() != null) {
                own.computeIfAbsent(u.trunkId(), t -> new ArrayList<>()).add(u);
            } else {
                loose.computeIfAbsent(u.accountId(), a -> new ArrayList<>()).add(u);
            }
        }
        return new TenantIndex(Map.copyOf(byAuthId), Map.copyOf(trunks), uris, frozen(own), frozen(loose), self);
    }

    private static <K> ShardedMap<K, List<OriginationUri>> frozen(Map<K, List<OriginationUri>> groups) {
        ShardedMap.Builder<K, List<OriginationUri>> b = ShardedMap.builder();
        groups.forEach((k, v) -> b.put(k, List.copyOf(v)));
        return b.build();
    }

    boolean usesId(UUID id) {
        return uris.containsKey(id) || trunks.containsKey(id);
    }

    /** Whether a trunk names {@code uriId} as its primary or fallback URI. */
    boolean named(UUID uriId) {
        for (Trunk t : trunks.values()) {
            if (t.uses(uriId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The index after {@code before} (null: none) was replaced by {@code after} (null:
     * removed) in {@code list}, the URI list after the change. Groups the change left alone
     * stay the same instances. A URI that moves into a group is placed in config order, which
     * takes one pass over {@code list}.
     */
    TenantIndex withUri(OriginationUri before, OriginationUri after, List<OriginationUri> list) {
        ShardedMap<UUID, OriginationUri> nextUris = after == null ? uris.without(before.id()) : uris.with(after.id(), after);
        ShardedMap<UUID, List<OriginationUri>> nextByTrunk = byTrunk;
        ShardedMap<String, List<OriginationUri>> nextUnattached = unattached;
        boolean sameGroup = before != null && after != null && java.util.Objects.equals(before.trunkId(), after.trunkId())
                && before.accountId().equals(after.accountId());
        if (sameGroup) {
            if (after.trunkId() != null) {
                nextByTrunk = replacedIn(byTrunk, after.trunkId(), before, after);
            } else {
                nextUnattached = replacedIn(unattached, after.accountId(), before, after);
            }
        } else {
            if (before != null) {
                if (before.trunkId() != null) {
                    nextByTrunk = replacedIn(nextByTrunk, before.trunkId(), before, null);
                } else {
                    nextUnattached = replacedIn(nextUnattached, before.accountId(), before, null);
                }
            }
            if (after != null) {
                boolean last = !list.isEmpty() && list.get(list.size() - 1) == after;
                if (after.trunkId() != null) {
                    nextByTrunk = nextByTrunk.with(after.trunkId(), last
                            ? appended(nextByTrunk.get(after.trunkId()), after)
                            : group(list, u -> after.trunkId().equals(u.trunkId())));
                } else {
                    nextUnattached = nextUnattached.with(after.accountId(), last
                            ? appended(nextUnattached.get(after.accountId()), after)
                            : group(list, u -> u.trunkId() == null && after.accountId().equals(u.accountId())));
                }
            }
        }
        return new TenantIndex(accounts, trunks, nextUris, nextByTrunk, nextUnattached, self);
    }

    /** {@code group} with {@code before} replaced by {@code after}, or removed when it is null. */
    private static <K> ShardedMap<K, List<OriginationUri>> replacedIn(ShardedMap<K, List<OriginationUri>> groups, K key,
                                                                     OriginationUri before, OriginationUri after) {
        List<OriginationUri> group = groups.get(key);
        int at = indexOf(group, before);
        OriginationUri[] items = group.toArray(new OriginationUri[0]);
        if (after != null) {
            items[at] = after;
            return groups.with(key, List.of(items));
        }
        if (items.length == 1) {
            return groups.without(key);
        }
        OriginationUri[] rest = new OriginationUri[items.length - 1];
        System.arraycopy(items, 0, rest, 0, at);
        System.arraycopy(items, at + 1, rest, at, rest.length - at);
        return groups.with(key, List.of(rest));
    }

    private static List<OriginationUri> appended(List<OriginationUri> group, OriginationUri uri) {
        if (group == null) {
            return List.of(uri);
        }
        OriginationUri[] items = Arrays.copyOf(group.toArray(new OriginationUri[0]), group.size() + 1);
        items[group.size()] = uri;
        return List.of(items);
    }

    private static List<OriginationUri> group(List<OriginationUri> list, java.util.function.Predicate<OriginationUri> in) {
        List<OriginationUri> group = new ArrayList<>();
        for (OriginationUri u : list) {
            if (in.test(u)) {
                group.add(u);
            }
        }
        return List.copyOf(group);
    }

    /** The position of {@code item} (that very instance) in {@code list}. */
    static int indexOf(List<OriginationUri> list, OriginationUri item) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == item) {
                return i;
            }
        }
        throw new IllegalStateException("index out of step with its list: " + item.id());
    }
}
