package dev.meshctl.controlplane.bench;

import static dev.meshctl.controlplane.model.MeshFixtures.ambient;
import static dev.meshctl.controlplane.model.MeshFixtures.labels;
import static dev.meshctl.controlplane.model.MeshFixtures.pod;
import static dev.meshctl.controlplane.model.MeshFixtures.policy;
import static dev.meshctl.controlplane.model.MeshFixtures.port;
import static dev.meshctl.controlplane.model.MeshFixtures.service;
import static dev.meshctl.controlplane.model.MeshFixtures.spec;

import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.objects.istio.AuthorizationPolicySpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Holds a synthetic mesh of {@code workloads} pods over {@link #NODES} nodes and applies the benchmark's changes to
 * it: the store a control plane would list before each translation.
 *
 * <p>Pods come in groups of five per Service, on five neighbouring nodes, so a policy selecting one app reaches five
 * nodes. Every change writes a fresh generation number, so no two snapshots of a run are equal.
 */
final class BenchMesh {
  static final int NODES = 100;
  static final int NAMESPACES = 10;
  /** Selector policies, one per namespace; one namespace-wide policy comes on top. */
  static final int SELECTOR_POLICIES = NAMESPACES;

  private final Map<String, HasMetadata> objects = new LinkedHashMap<>();
  private final List<String> podKeys = new ArrayList<>();
  private final int services;
  private int generation;
  private int extraPods;

  BenchMesh(int workloads) {
    if (workloads < NODES * 5 || workloads % 5 != 0) {
      throw new IllegalArgumentException("workloads " + workloads + ": use a multiple of 5, at least " + NODES * 5);
    }
    services = workloads / 5;
    for (int n = 0; n < NAMESPACES; n++) {
      put(ambient("ns" + n));
    }
    for (int s = 0; s < services; s++) {
      put(service(namespaceOf(s), "svc" + s, "10.96." + (s / 250) + "." + (s % 250), labels("app", "app" + s),
          port("http", 80, 8080)));
    }
    for (int s = 0; s < SELECTOR_POLICIES; s++) {
      put(policy(namespaceOf(s), "allow-app" + s, allowFrom(labels("app", "app" + s), "seed")));
    }
    put(policy("ns0", "ns0-allow-mesh", allowFrom(null, "mesh")));
    for (int p = 0; p < workloads; p++) {
      int s = p / 5;
      Pod pod = pod(namespaceOf(s), "pod" + p, node(p), "10." + (p / 62500) + "." + (p / 250 % 250) + "." + (p % 250),
          "sa" + s, "app", "app" + s, "rev", "g0");
      put(pod);
      podKeys.add(MeshModel.key(pod));
    }
  }

  /** Returns the node of the i-th pod: {@code node-1} to {@code node-100}. */
  static String node(int i) {
    return "node-" + (Math.floorMod(i, NODES) + 1);
  }

  /** Returns every object, as a source would list them. */
  List<HasMetadata> objects() {
    return new ArrayList<>(objects.values());
  }

  int services() {
    return services;
  }

  /** Returns the number of AuthorizationPolicies. */
  int policies() {
    return SELECTOR_POLICIES + 1;
  }

  /** Changes a label of one pod that no selector reads: exactly one Workload changes. */
  void relabelPod(Random random) {
    String key = podKeys.get(random.nextInt(podKeys.size()));
    Pod before = (Pod) objects.get(key);
    objects.put(key, new PodBuilder(before).editMetadata().addToLabels("rev", "g" + (++generation)).endMetadata()
        .build());
  }

  /** Adds a ready pod to a random Service: one new Workload. */
  void addPod(Random random) {
    int s = random.nextInt(services);
    int i = ++extraPods;
    put(pod(namespaceOf(s), "extra" + i, node(random.nextInt(NODES)), "10.250." + (i / 250 % 250) + "." + (i % 250),
        "sa" + s, "app", "app" + s, "rev", "g" + (++generation)));
  }

  /** Rewrites the allowed principal of one selector policy: its Authorization changes on the nodes of its pods. */
  void changePolicy(Random random) {
    int s = random.nextInt(SELECTOR_POLICIES);
    put(policy(namespaceOf(s), "allow-app" + s, allowFrom(labels("app", "app" + s), "g" + (++generation))));
  }

  private void put(HasMetadata o) {
    String key = o.getMetadata().getNamespace() == null ? o.getMetadata().getName() : MeshModel.key(o);
    objects.put(key, o);
  }

  private static String namespaceOf(int service) {
    return "ns" + (service % NAMESPACES);
  }

  private static AuthorizationPolicySpec allowFrom(Map<String, String> selector, String account) {
    AuthorizationPolicySpec.Source source = new AuthorizationPolicySpec.Source(
        List.of("cluster.local/ns/clients/sa/" + account), null, null, null, null, null, null, null, null, null, null,
        null);
    return spec(selector, "ALLOW",
        new AuthorizationPolicySpec.Rule(List.of(new AuthorizationPolicySpec.From(source)), null, null));
  }
}
