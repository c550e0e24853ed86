package io.sipvane.core.collect;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable map whose changed copies share nearly everything with the original: the
 * lookups a config and its routing snapshot keep by id, patched by every API write.
 *
 * <p>Implementation note: the entries are split over 64 shards by the top bits of a mixed
 * hash; each shard is a {@link HashMap} that is never modified once the map is published.
 * {@link #with} and {@link #without} copy the shard array (64 references) and the one
 * shard the key falls in, so a change costs about {@code size / 64} entry copies instead of
 * {@code size}: at 100,000 entries, some 1,600 against a full copy. A lookup is one more
 * array index than a {@code HashMap}'s. The shard is chosen by the top bits, and
 * {@code HashMap} buckets by the low bits, so the keys of one shard still spread over its
 * buckets. Safe to share between threads once published through a final or volatile field.
 */
public final class ShardedMap<K, V> {
    private static final int SHIFT = 26; // 64 shards: the top 6 bits of the mixed hash
    private static final int SHARDS = 1 << (32 - SHIFT);
    private static final ShardedMap<?, ?> EMPTY = new ShardedMap<>(newShards(), 0);

    private final HashMap<K, V>[] shards; // null for an empty shard
    private final int size;

    private ShardedMap(HashMap<K, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type cannot be made otherwise
    private static <K, V> HashMap<K, V>[] newShards() {
        return new HashMap[SHARDS];
    }

    @SuppressWarnings("unchecked")
    public static <K, V> ShardedMap<K, V> of() {
        return (ShardedMap<K, V>) EMPTY;
    }

    /** A map of the entries of {@code map}. */
    public static <K, V> ShardedMap<K, V> copyOf(Map<? extends K, ? extends V> map) {
        Builder<K, V> b = builder();
        map.forEach(b::put);
        return b.build();
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    private static int shard(Object key) {
        return (key.hashCode() * 0x9E3779B9) >>> SHIFT;
    }

    public V get(Object key) {
        HashMap<K, V> shard = shards[shard(key)];
        return shard == null ? null : shard.get(key);
    }

    public V getOrDefault(Object key, V otherwise) {
        V v = get(key);
        return v == null ? otherwise : v;
    }

    public boolean containsKey(Object key) {
        HashMap<K, V> shard = shards[shard(key)];
        return shard != null && shard.containsKey(key);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** This map with {@code key} mapped to {@code value}; {@code this} when it already is (same instance). */
    public ShardedMap<K, V> with(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int s = shard(key);
        HashMap<K, V> old = shards[s];
        if (old != null && old.get(key) == value) {
            return this;
        }
        HashMap<K, V> copy = old == null ? new HashMap<>() : new HashMap<>(old);
        boolean added = copy.put(key, value) == null;
        return new ShardedMap<>(replaced(s, copy), added ? size + 1 : size);
    }

    /** This map without {@code key}; {@code this} when it has no such key. */
    public ShardedMap<K, V> without(Object key) {
        int s = shard(key);
        HashMap<K, V> old = shards[s];
        if (old == null || !old.containsKey(key)) {
            return this;
        }
        HashMap<K, V> copy = new HashMap<>(old);
        copy.remove(key);
        return new ShardedMap<>(replaced(s, copy.isEmpty() ? null : copy), size - 1);
    }

    private HashMap<K, V>[] replaced(int s, HashMap<K, V> shard) {
        HashMap<K, V>[] next = shards.clone();
        next[s] = shard;
        return next;
    }

    /** Every entry, in no particular order. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (HashMap<K, V> shard : shards) {
            if (shard != null) {
                shard.forEach(action);
            }
        }
    }

    /** Collects the entries of a new map; a key put twice keeps its last value. Not thread-safe. */
    public static final class Builder<K, V> {
        private final HashMap<K, V>[] shards = newShards();
        private int size;
        private boolean built;

        private Builder() {}

        public Builder<K, V> put(K key, V value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (built) {
                throw new IllegalStateException("already built");
            }
            int s = shard(key);
            HashMap<K, V> shard = shards[s];
            if (shard == null) {
                shard = new HashMap<>();
                shards[s] = shard;
            }
            if (shard.put(key, value) == null) {
                size++;
            }
            return this;
        }

        /** The current value of {@code key} in this builder. */
        public V get(K key) {
            HashMap<K, V> shard = shards[shard(key)];
            return shard == null ? null : shard.get(key);
        }

        public ShardedMap<K, V> build() {
            built = true;
            return size == 0 ? of() : new ShardedMap<>(shards, size);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        forEach((k, v) -> sb.append(sb.length() == 1 ? "" : ", ").append(k).append('=').append(v));
        return sb.append('}').toString();
    }
}
