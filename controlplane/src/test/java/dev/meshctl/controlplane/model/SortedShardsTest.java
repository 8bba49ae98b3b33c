package dev.meshctl.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SortedShardsTest {

  @Test
  void behavesAsASortedMapOverRandomEdits() {
    Random random = new Random(7);
    TreeMap<String, Integer> want = new TreeMap<>();
    SortedShards<Integer> got = SortedShards.empty();
    for (int step = 0; step < 400; step++) {
      TreeMap<String, Integer> changes = new TreeMap<>();
      int n = step % 50 == 0 ? 500 : 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) {
        String key = "ns" + random.nextInt(3) + "/p" + random.nextInt(2000);
        changes.put(key, random.nextInt(4) == 0 ? null : step);
      }
      changes.forEach((k, v) -> {
        if (v == null) {
          want.remove(k);
        } else {
          want.put(k, v);
        }
      });
      got = got.with(changes);
      assertThat(got.size()).isEqualTo(want.size());
      assertThat(new ArrayList<>(got.keySet())).isEqualTo(new ArrayList<>(want.keySet()));
      assertThat(new ArrayList<>(got.values())).isEqualTo(new ArrayList<>(want.values()));
      String probe = "ns1/p" + random.nextInt(2000);
      assertThat(got.get(probe)).isEqualTo(want.get(probe));
      assertThat(got.containsKey(probe)).isEqualTo(want.containsKey(probe));
      List<String> prefixed = new ArrayList<>();
      got.forEachWithPrefix("ns1/", (k, v) -> prefixed.add(k));
      assertThat(prefixed).isEqualTo(new ArrayList<>(want.subMap("ns1/", "ns1/\uffff").keySet()));
    }
  }

  @Test
  void anEditCopiesOnlyItsShard() {
    TreeMap<String, Integer> all = new TreeMap<>();
    for (int i = 0; i < 1000; i++) {
      all.put(String.format("k%04d", i), i);
    }
    SortedShards<Integer> first = SortedShards.<Integer>empty().with(all);
    assertThat(first.shards()).isGreaterThan(1);
    TreeMap<String, Integer> one = new TreeMap<>(Map.of("k0001", -1));
    SortedShards<Integer> next = first.with(one);

    assertThat(next.get("k0001")).isEqualTo(-1);
    assertThat(first.get("k0001")).isEqualTo(1);
    assertThat(next.sharesShardOf("k0001", first)).isFalse();
    assertThat(next.sharesShardOf("k0999", first)).isTrue();
  }

  @Test
  void anEditThatChangesNothingReturnsTheSameMap() {
    Integer value = 1000;
    SortedShards<Integer> map = SortedShards.<Integer>empty().with(new TreeMap<>(Map.of("a", value)));
    TreeMap<String, Integer> same = new TreeMap<>(Map.of("a", value));
    same.put("absent", null);
    assertThat(map.with(same)).isSameAs(map);
    assertThat(map.with(new TreeMap<>())).isSameAs(map);
    assertThat(SortedShards.empty().get("a")).isNull();
    assertThat(SortedShards.empty().get(1)).isNull();
    assertThatThrownBy(() -> map.with(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("changes");
  }

  @Test
  void hashShardsBehaveAsAMap() {
    Random random = new Random(3);
    Map<String, Integer> want = new HashMap<>();
    HashShards<Integer> got = HashShards.empty();
    for (int step = 0; step < 300; step++) {
      Map<String, Integer> changes = new HashMap<>();
      for (int i = 0; i < 1 + random.nextInt(20); i++) {
        changes.put("k" + random.nextInt(500), random.nextInt(4) == 0 ? null : step);
      }
      changes.forEach((k, v) -> {
        if (v == null) {
          want.remove(k);
        } else {
          want.put(k, v);
        }
      });
      HashShards<Integer> before = got;
      got = got.with(changes);
      assertThat(got).isEqualTo(want);
      assertThat(got.size()).isEqualTo(want.size());
      assertThat(before.with(Map.of())).isSameAs(before);
    }
    assertThatThrownBy(() -> HashShards.empty().with(null)).isInstanceOf(NullPointerException.class);
  }
}
