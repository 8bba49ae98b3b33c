package dev.meshctl.controlplane.translate;

import static dev.meshctl.controlplane.model.MeshFixtures.ambient;
import static dev.meshctl.controlplane.model.MeshFixtures.labels;
import static dev.meshctl.controlplane.model.MeshFixtures.pod;
import static dev.meshctl.controlplane.model.MeshFixtures.policy;
import static dev.meshctl.controlplane.model.MeshFixtures.port;
import static dev.meshctl.controlplane.model.MeshFixtures.service;
import static dev.meshctl.controlplane.model.MeshFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks that a large mesh translates, with node snapshots sharing their big resource sets. */
class TranslatorScaleTest {

  @Test
  void tenThousandPodsTwoThousandServicesHundredNodes() {
    List<HasMetadata> objects = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      objects.add(ambient("ns" + n));
    }
    for (int s = 0; s < 2000; s++) {
      String ns = "ns" + (s % 10);
      objects.add(service(ns, "svc" + s, "10.96." + (s / 250) + "." + (s % 250), labels("app", "app" + s),
          port("http", 80, 8080)));
      objects.add(policy(ns, "allow" + s, spec(labels("app", "app" + s), "ALLOW",
          AuthorizationTranslatorTest.from(AuthorizationTranslatorTest.principals("cluster.local/ns/x/sa/y")))));
    }
    for (int p = 0; p < 10_000; p++) {
      int s = p % 2000;
      objects.add(pod("ns" + (s % 10), "pod" + p, "node" + (p % 100), "10." + (p / 62500) + "." + (p / 250 % 250)
          + "." + (p % 250), "sa" + s, "app", "app" + s));
    }

    long start = System.nanoTime();
    Translation t = new Translator().translate(MeshModel.of(objects, MeshConfig.defaults()));
    // Reported, not asserted: timing depends on the machine.
    System.out.printf("translated 10k pods in %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertThat(t.snapshots()).hasSize(100);
    var first = t.snapshots().get("node-agent~node0");
    assertThat(first.resources(TypeUrls.WORKLOAD)).hasSize(10_000);
    assertThat(first.resources(TypeUrls.SERVICE)).hasSize(2000);
    assertThat(first.resources(TypeUrls.AUTHORIZATION)).hasSize(20);
    t.snapshots().values().forEach(s ->
        assertThat(s.resources(TypeUrls.WORKLOAD)).isSameAs(first.resources(TypeUrls.WORKLOAD)));
  }
}
