package dev.meshctl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigStateTest {

  static Resource resource(String name, String version, com.google.protobuf.Message m) {
    return Resource.newBuilder().setName(name).setVersion(version).setResource(TypeUrls.pack(m)).build();
  }

  static Workload workload(String name) {
    return Workload.newBuilder().setName(name).addAddresses("10.244.0.1").build();
  }

  @Test
  void appliesChangesAndRemovalsWithoutTouchingTheOldState() {
    ConfigState s1 = ConfigState.empty().apply(TypeUrls.WORKLOAD,
        List.of(resource("a", "1", workload("a")), resource("b", "1", workload("b"))), List.of());
    ConfigState s2 = s1.apply(TypeUrls.WORKLOAD, List.of(resource("a", "2", workload("a2"))), List.of("b"));

    assertThat(s1.resources(Workload.class)).containsOnlyKeys("a", "b");
    assertThat(s2.resources(Workload.class)).containsOnlyKeys("a");
    assertThat(s2.resource(Workload.class, "a")).map(Workload::getName).contains("a2");
    assertThat(s2.versions(TypeUrls.WORKLOAD)).containsEntry("a", "2").hasSize(1);
    assertThat(s2.resources(Service.class)).isEmpty();
    assertThat(s2.size()).isEqualTo(1);
  }

  @Test
  void emptyResponseRecordsTheTypeOnceThenChangesNothing() {
    ConfigState s1 = ConfigState.empty().apply(TypeUrls.SERVICE, List.of(), List.of());
    assertThat(s1.typeUrls()).containsExactly(TypeUrls.SERVICE);
    assertThat(s1.apply(TypeUrls.SERVICE, List.of(), List.of("unknown"))).isSameAs(s1);
    ConfigState s2 = s1.apply(TypeUrls.WORKLOAD, List.of(resource("a", "1", workload("a"))), List.of());
    assertThat(s2.apply(TypeUrls.WORKLOAD, List.of(resource("a", "1", workload("a"))), List.of())).isSameAs(s2);
  }

  @Test
  void equalityComparesContents() {
    ConfigState a = ConfigState.empty().apply(TypeUrls.WORKLOAD, List.of(resource("a", "1", workload("a"))), List.of());
    ConfigState b = ConfigState.empty().apply(TypeUrls.WORKLOAD, List.of(resource("a", "1", workload("a"))), List.of());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(ConfigState.empty());
  }

  @Test
  void refusesAResourceOfTheWrongType() {
    Resource wrong = resource("s", "1", Service.newBuilder().setName("s").build());
    assertThatThrownBy(() -> ConfigState.empty().apply(TypeUrls.WORKLOAD, List.of(wrong), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resource 's'").hasMessageContaining("meshctl.mesh.Service");
  }

  @Test
  void refusesAResourceThatDoesNotDecode() {
    Resource garbage = Resource.newBuilder().setName("g").setVersion("1")
        .setResource(Any.newBuilder().setTypeUrl(TypeUrls.WORKLOAD).setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}))).build();
    assertThatThrownBy(() -> ConfigState.empty().apply(TypeUrls.WORKLOAD, List.of(garbage), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not decode");
  }

  @Test
  void refusesAResourceWithoutName() {
    assertThatThrownBy(() -> ConfigState.empty().apply(TypeUrls.WORKLOAD, List.of(resource("", "1", workload("a"))), List.of()))
        .hasMessageContaining("has no name");
  }

  @Test
  void applyingOneChangeToALargeStateSharesTheUntouchedShards() {
    List<Resource> all = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      all.add(resource("w" + i, "1", workload("w" + i)));
    }
    ConfigState big = ConfigState.empty().apply(TypeUrls.WORKLOAD, all, List.of());
    java.util.Map<String, Workload> decodedBefore = big.resources(Workload.class);

    ConfigState next = big.apply(TypeUrls.WORKLOAD, List.of(resource("w7", "2", workload("w7-new"))), List.of("w8"));

    assertThat(next.entries(TypeUrls.WORKLOAD)).hasSize(9_999).doesNotContainKey("w8");
    assertThat(next.entries(TypeUrls.WORKLOAD).get("w7").version()).isEqualTo("2");
    assertThat(big.entries(TypeUrls.WORKLOAD)).hasSize(10_000);
    assertThat(big.entries(TypeUrls.WORKLOAD).get("w7").version()).isEqualTo("1");
    java.util.Set<Object> copied = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int i = 0; i < 10_000; i++) {
      String name = "w" + i;
      if (next.shardOf(TypeUrls.WORKLOAD, name) != big.shardOf(TypeUrls.WORKLOAD, name)) {
        copied.add(next.shardOf(TypeUrls.WORKLOAD, name));
      }
    }
    // Only the shards of w7 and w8 were copied; the other 62+ of 64 are the old ones.
    assertThat(copied).hasSizeBetween(1, 2)
        .allMatch(m -> m == next.shardOf(TypeUrls.WORKLOAD, "w7") || m == next.shardOf(TypeUrls.WORKLOAD, "w8"));
    // The decoded view carries over, with only the change decoded.
    assertThat(next.resources(Workload.class)).hasSize(9_999).doesNotContainKey("w8");
    assertThat(next.resource(Workload.class, "w7")).map(Workload::getName).contains("w7-new");
    assertThat(next.resources(Workload.class).get("w1")).isSameAs(decodedBefore.get("w1"));
    assertThat(next).isEqualTo(ConfigState.empty().apply(TypeUrls.WORKLOAD,
        next.entries(TypeUrls.WORKLOAD).entrySet().stream()
            .map(e -> Resource.newBuilder().setName(e.getKey()).setVersion(e.getValue().version())
                .setResource(e.getValue().resource()).build()).toList(), List.of()));
  }

  @Test
  void aNameBothRemovedAndSentEndsUpPresent() {
    ConfigState s1 = ConfigState.empty().apply(TypeUrls.WORKLOAD, List.of(resource("a", "1", workload("a"))),
        List.of());
    ConfigState s2 = s1.apply(TypeUrls.WORKLOAD, List.of(resource("a", "2", workload("a"))), List.of("a"));
    assertThat(s2.versions(TypeUrls.WORKLOAD)).containsExactly(java.util.Map.entry("a", "2"));
  }
}
