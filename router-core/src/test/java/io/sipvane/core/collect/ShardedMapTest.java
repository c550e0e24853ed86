package io.sipvane.core.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardedMapTest {

    @Test
    void withAndWithout_agreeWithAHashMapOverRandomChanges() {
        Random random = new Random(7);
        Map<Integer, String> expected = new HashMap<>();
        ShardedMap<Integer, String> map = ShardedMap.of();
        for (int step = 0; step < 20_000; step++) {
            int key = random.nextInt(3_000);
            ShardedMap<Integer, String> before = map;
            if (random.nextInt(3) == 0) {
                expected.remove(key);
                map = map.without(key);
            } else {
                String value = "v" + step;
                expected.put(key, value);
                map = map.with(key, value);
            }
            assertThat(map.get(key)).isEqualTo(expected.get(key));
            assertThat(map.size()).isEqualTo(expected.size());
            if (step % 1_000 == 0) {
                assertThat(asHashMap(map)).isEqualTo(expected);
                assertThat(asHashMap(before)).isNotSameAs(expected); // the old version still reads
            }
        }
        assertThat(asHashMap(map)).isEqualTo(expected);
    }

    @Test
    void changedCopy_leavesTheOriginalAsItWas() {
        ShardedMap<String, Integer> one = ShardedMap.copyOf(Map.of("a", 1, "b", 2));
        ShardedMap<String, Integer> two = one.with("a", 10).without("b").with("c", 3);

        assertThat(asHashMap(one)).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(asHashMap(two)).isEqualTo(Map.of("a", 10, "c", 3));
    }

    @Test
    void noChange_returnsTheSameMap() {
        Integer value = 1_000;
        ShardedMap<String, Integer> map = ShardedMap.<String, Integer>of().with("a", value);

        assertThat(map.with("a", value)).isSameAs(map);
        assertThat(map.without("missing")).isSameAs(map);
        assertThat(map.without("a").isEmpty()).isTrue();
    }

    @Test
    void builder_keepsTheLastValueAndRefusesUseAfterBuild() {
        ShardedMap.Builder<String, Integer> b = ShardedMap.builder();
        b.put("a", 1).put("a", 2).put("b", 3);
        ShardedMap<String, Integer> map = b.build();

        assertThat(map.size()).isEqualTo(2);
        assertThat(map.get("a")).isEqualTo(2);
        assertThat(map.getOrDefault("z", 9)).isEqualTo(9);
        assertThatThrownBy(() -> b.put("c", 4)).isInstanceOf(IllegalStateException.class);
        assertThat(map.containsKey("c")).isFalse();
    }

    private static <K, V> Map<K, V> asHashMap(ShardedMap<K, V> map) {
        Map<K, V> out = new HashMap<>();
        map.forEach(out::put);
        return out;
    }
}
