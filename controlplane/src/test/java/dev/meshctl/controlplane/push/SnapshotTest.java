package dev.meshctl.controlplane.push;

import static dev.meshctl.controlplane.push.Fixtures.service;
import static dev.meshctl.controlplane.push.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Workload;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  @Test
  void filesResourcesByTypeAndName() {
    Snapshot s = Snapshot.builder().add("w1", workload("w1", 1)).add("s1", service("s1", 1))
        .type(TypeUrls.AUTHORIZATION).build();
    assertThat(s.typeUrls()).containsExactlyInAnyOrder(TypeUrls.WORKLOAD, TypeUrls.SERVICE, TypeUrls.AUTHORIZATION);
    assertThat(s.resources(TypeUrls.WORKLOAD)).containsOnlyKeys("w1");
    assertThat(s.resources(TypeUrls.AUTHORIZATION)).isEmpty();
    assertThat(s.resources(TypeUrls.ROUTE)).isEmpty();
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.resource(TypeUrls.WORKLOAD, "w1").orElseThrow().getResource().getTypeUrl())
        .isEqualTo("type.meshctl.dev/meshctl.mesh.Workload");
  }

  @Test
  void versionsFollowContent() {
    Snapshot a = Snapshot.builder().add("w1", workload("w1", 1)).build();
    Snapshot same = Snapshot.builder().add("w1", workload("w1", 1)).build();
    Snapshot changed = a.toBuilder().put("w1", workload("w1", 2)).build();
    assertThat(same.version()).isEqualTo(a.version());
    assertThat(changed.version()).isNotEqualTo(a.version());
    assertThat(changed.resource(TypeUrls.WORKLOAD, "w1").orElseThrow().getVersion())
        .isNotEqualTo(a.resource(TypeUrls.WORKLOAD, "w1").orElseThrow().getVersion());
    assertThat(Snapshot.builder().version("v7").build().version()).isEqualTo("v7");
  }

  @Test
  void contentVersionIgnoresMapInsertionOrder() {
    Workload x = Workload.newBuilder().setName("x").putLabels("a", "1").putLabels("b", "2").build();
    Workload y = Workload.newBuilder().setName("x").putLabels("b", "2").putLabels("a", "1").build();
    assertThat(Snapshot.contentVersion(x)).isEqualTo(Snapshot.contentVersion(y));
  }

  @Test
  void derivedSnapshotSharesUntouchedTypes() {
    Snapshot a = Snapshot.builder().add("w1", workload("w1", 1)).add("s1", service("s1", 1)).build();
    Snapshot b = a.toBuilder().put("w1", workload("w1", 2)).build();
    assertThat(b.resources(TypeUrls.SERVICE)).isSameAs(a.resources(TypeUrls.SERVICE));
    assertThat(b.resources(TypeUrls.WORKLOAD)).isNotSameAs(a.resources(TypeUrls.WORKLOAD));
    assertThat(a.resources(TypeUrls.WORKLOAD).get("w1").getVersion())
        .isEqualTo(Snapshot.contentVersion(workload("w1", 1)));
  }

  @Test
  void refusesDuplicateNames() {
    assertThatThrownBy(() -> Snapshot.builder().add("w1", workload("w1", 1)).add("w1", workload("w1", 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate resource name 'w1'");
  }

  @Test
  void refusesResourcesWithoutNameOrVersion() {
    assertThatThrownBy(() -> Snapshot.builder().add("", workload("w1", 1)).build())
        .hasMessageContaining("empty name");
    Resource unversioned = Resource.newBuilder().setName("w1").setResource(TypeUrls.pack(workload("w1", 1))).build();
    assertThatThrownBy(() -> Snapshot.builder().add(unversioned).build())
        .hasMessageContaining("has no version");
  }

  @Test
  void removeOfAbsentNameIsHarmless() {
    Snapshot a = Snapshot.builder().add("w1", workload("w1", 1)).build();
    Snapshot b = a.toBuilder().remove(TypeUrls.WORKLOAD, "nope").remove(TypeUrls.ROUTE, "x").build();
    assertThat(b).isEqualTo(a);
    assertThat(b.resources(TypeUrls.WORKLOAD)).isSameAs(a.resources(TypeUrls.WORKLOAD));
  }

  @Test
  void packsUnderTheMeshPrefix() {
    Any any = TypeUrls.pack(workload("w1", 1));
    assertThat(any.getTypeUrl()).isEqualTo(TypeUrls.WORKLOAD);
    assertThat(TypeUrls.of(Workload.class)).isEqualTo(TypeUrls.WORKLOAD);
  }
}
