package dev.meshctl.controlplane.model;

import static dev.meshctl.controlplane.model.MeshFixtures.ambient;
import static dev.meshctl.controlplane.model.MeshFixtures.label;
import static dev.meshctl.controlplane.model.MeshFixtures.labels;
import static dev.meshctl.controlplane.model.MeshFixtures.namespace;
import static dev.meshctl.controlplane.model.MeshFixtures.notReady;
import static dev.meshctl.controlplane.model.MeshFixtures.peerAuthentication;
import static dev.meshctl.controlplane.model.MeshFixtures.pod;
import static dev.meshctl.controlplane.model.MeshFixtures.policy;
import static dev.meshctl.controlplane.model.MeshFixtures.port;
import static dev.meshctl.controlplane.model.MeshFixtures.service;
import static dev.meshctl.controlplane.model.MeshFixtures.serviceAccountWaypoint;
import static dev.meshctl.controlplane.model.MeshFixtures.spec;
import static dev.meshctl.controlplane.model.MeshFixtures.waypoint;
import static dev.meshctl.controlplane.model.MeshFixtures.waypointPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MeshModelUpdateTest {
  // "a-b" sorts between "a" and "b" by name, but its keys "a-b/..." sort before "a/...": both orders must hold.
  private static final List<String> NAMESPACES = List.of("a", "a-b", "b");
  private static final List<String> APPS = List.of("web", "api", "db", "cache");

  @Test
  void anUpdatedModelEqualsAFreshOneOverRandomChanges() {
    for (long seed = 1; seed <= 8; seed++) {
      Random random = new Random(seed);
      Map<String, HasMetadata> store = new LinkedHashMap<>();
      seed(store, random);
      MeshModel model = MeshModel.of(list(store, random), MeshConfig.defaults());
      for (int step = 0; step < 150; step++) {
        int changes = random.nextInt(20) == 0 ? 300 : 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
          change(store, random, step);
        }
        List<HasMetadata> objects = list(store, random);
        model = MeshModel.update(model, objects);
        assertThat(describe(model)).as("seed " + seed + " step " + step)
            .isEqualTo(describe(MeshModel.of(objects, MeshConfig.defaults())));
      }
    }
  }

  @Test
  void anUnchangedListReusesEveryIndex() {
    Map<String, HasMetadata> store = new LinkedHashMap<>();
    seed(store, new Random(1));
    List<HasMetadata> objects = new ArrayList<>(store.values());
    MeshModel first = MeshModel.of(objects, MeshConfig.defaults());
    Collections.reverse(objects);
    MeshModel again = MeshModel.update(first, objects);

    assertThat(again.pods()).containsExactlyElementsOf(first.pods());
    Pod any = first.pods().iterator().next();
    assertThat(again.servicesOf(any)).isSameAs(first.servicesOf(any)).isNotEmpty();
    assertThat(again.bindings()).isEqualTo(first.bindings());
  }

  @Test
  void aChangedPodCopiesOnlyTheShardsItFallsIn() {
    Map<String, HasMetadata> store = new LinkedHashMap<>();
    seed(store, new Random(2));
    MeshModel first = MeshModel.of(new ArrayList<>(store.values()), MeshConfig.defaults());
    Pod pod = (Pod) store.get("Pod/a/pod-0");
    store.put("Pod/a/pod-0", new PodBuilder(pod).editMetadata().addToLabels("rev", "2").endMetadata().build());
    MeshModel next = MeshModel.update(first, new ArrayList<>(store.values()));

    SortedShards<Pod> before = first.podShards();
    SortedShards<Pod> after = next.podShards();
    assertThat(after.get("a/pod-0")).isNotSameAs(before.get("a/pod-0"));
    assertThat(after.sharesShardOf("a/pod-0", before)).isFalse();
    assertThat(after.sharesShardOf("b/pod-299", before)).isTrue();
  }

  @Test
  void aCopyWithTheSameUidAndResourceVersionIsUnchanged() {
    Pod pod = new PodBuilder(pod("a", "p", "n1", "10.0.0.1", "sa", "app", "web")).editMetadata()
        .withUid("u1").withResourceVersion("7").endMetadata().build();
    MeshModel first = MeshModel.of(List.of(ambient("a"), pod), MeshConfig.defaults());
    Pod relisted = new PodBuilder(pod).build();
    MeshModel again = MeshModel.update(first, List.of(ambient("a"), relisted));
    assertThat(again.pods()).singleElement().isSameAs(pod);

    Pod updated = new PodBuilder(pod).editMetadata().withResourceVersion("8").addToLabels("app", "api").endMetadata()
        .build();
    MeshModel next = MeshModel.update(again, List.of(ambient("a"), updated));
    assertThat(next.pods()).singleElement().isSameAs(updated);
    assertThat(next.podsMatching("a", labels("app", "web"))).isEmpty();
  }

  @Test
  void removedObjectsLeaveEveryIndex() {
    Pod p = pod("a", "p", "n1", "10.0.0.1", "sa", "app", "web");
    Service s = service("a", "web", "10.96.0.1", labels("app", "web"), port("http", 80, 8080));
    MeshModel first = MeshModel.of(List.of(ambient("a"), p, s), MeshConfig.defaults());
    assertThat(first.servicesOf(p)).containsExactly(s);

    MeshModel next = MeshModel.update(first, List.of(ambient("a"), s));
    assertThat(next.pods()).isEmpty();
    assertThat(next.podsSelectedBy(s)).isEmpty();
    assertThat(next.servicesOf(p)).isEmpty();
    assertThat(next.nodes()).isEmpty();
    assertThat(next.podsOnNode("n1")).isEmpty();
  }

  @Test
  void badInputIsReportedAsAFreshBuildWouldBe() {
    MeshModel first = MeshModel.of(List.of(ambient("a")), MeshConfig.defaults());
    Pod orphan = new PodBuilder(pod("a", "p", "n1", "10.0.0.1", "sa")).editMetadata().withNamespace(null)
        .endMetadata().build();
    MeshModel next = MeshModel.update(first, List.of(ambient("a"), orphan));
    assertThat(next.warnings()).singleElement().asString().contains("has no metadata.namespace");
    assertThat(MeshModel.update(next, List.of(ambient("a"))).warnings()).isEmpty();

    assertThatThrownBy(() -> MeshModel.update(null, List.of())).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("previous");
    assertThatThrownBy(() -> MeshModel.update(first, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("objects");
    List<HasMetadata> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> MeshModel.update(first, withNull)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("objects contains null");
  }

  /** Returns everything a model answers, in comparable form. */
  static Map<String, Object> describe(MeshModel m) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("namespaces", List.copyOf(m.namespaces()));
    d.put("pods", List.copyOf(m.pods()));
    d.put("services", List.copyOf(m.services()));
    d.put("serviceAccounts", List.copyOf(m.serviceAccounts()));
    d.put("deployments", List.copyOf(m.deployments()));
    d.put("authorizationPolicies", List.copyOf(m.authorizationPolicies()));
    d.put("peerAuthentications", List.copyOf(m.peerAuthentications()));
    d.put("gateways", List.copyOf(m.gateways()));
    d.put("httpRoutes", List.copyOf(m.httpRoutes()));
    d.put("waypoints", List.copyOf(m.waypoints()));
    d.put("bindings", m.bindings());
    d.put("warnings", m.warnings());
    d.put("nodes", List.copyOf(m.nodes()));
    m.nodes().forEach(n -> d.put("on " + n, m.podsOnNode(n)));
    for (Service s : m.services()) {
      d.put("selected by " + MeshModel.key(s), m.podsSelectedBy(s));
      d.put("binding of " + MeshModel.key(s), m.waypointFor(s));
    }
    for (Pod p : m.pods()) {
      String k = MeshModel.key(p);
      d.put("services of " + k, m.servicesOf(p));
      d.put("enrolled " + k, m.enrolled(p));
      d.put("owner " + k, m.owner(p));
      d.put("binding of " + k, m.waypointFor(p));
    }
    for (String ns : NAMESPACES) {
      d.put("pods in " + ns, m.pods(ns));
      APPS.forEach(app -> d.put(ns + " app=" + app, m.podsMatching(ns, labels("app", app))));
      d.put("namespace " + ns, m.namespace(ns));
    }
    return d;
  }

  private static void seed(Map<String, HasMetadata> store, Random random) {
    NAMESPACES.forEach(ns -> put(store, ambient(ns)));
    for (int i = 0; i < 300; i++) {
      String ns = NAMESPACES.get(i * NAMESPACES.size() / 300);
      put(store, pod(ns, "pod-" + i, "n" + random.nextInt(5), "10.0." + (i / 250) + "." + (i % 250),
          "sa-" + random.nextInt(3), "app", APPS.get(random.nextInt(APPS.size())), "version", "v" + random.nextInt(2)));
    }
    for (String ns : NAMESPACES) {
      for (String app : APPS) {
        put(store, service(ns, app, "10.96.0." + random.nextInt(250), labels("app", app), port("http", 80, 8080)));
      }
    }
    put(store, waypoint("a", "waypoint", "all"));
    put(store, waypointPod("a", "waypoint", "n1", "10.1.0.1"));
  }

  /** Lists the store as a source would, sometimes with a stale copy of an object before or after its current one. */
  private static List<HasMetadata> list(Map<String, HasMetadata> store, Random random) {
    List<HasMetadata> out = new ArrayList<>(store.values());
    if (random.nextInt(10) == 0) {
      Collections.shuffle(out, random);
    }
    if (random.nextInt(10) == 0) {
      Pod stale = (Pod) store.get("Pod/a/pod-0");
      if (stale != null) {
        stale = new PodBuilder(stale).editMetadata().addToLabels("app", "stale").endMetadata().build();
        out.add(random.nextInt(out.size() + 1), stale);
      }
    }
    return out;
  }

  private static void change(Map<String, HasMetadata> store, Random random, int step) {
    List<Pod> pods = store.values().stream().filter(o -> o instanceof Pod).map(o -> (Pod) o).toList();
    List<Service> services = store.values().stream().filter(o -> o instanceof Service).map(o -> (Service) o)
        .toList();
    String ns = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
    Pod p = pods.isEmpty() ? null : pods.get(random.nextInt(pods.size()));
    Service s = services.isEmpty() ? null : services.get(random.nextInt(services.size()));
    switch (random.nextInt(18)) {
      case 0 -> {
        if (p != null) {
          put(store, new PodBuilder(p).editMetadata().addToLabels("app", APPS.get(random.nextInt(APPS.size())))
              .addToLabels("rev", "g" + step).endMetadata().build());
        }
      }
      case 1 -> put(store, pod(ns, "extra-" + random.nextInt(40), random.nextInt(6) == 0 ? null : "n" + random.nextInt(6),
          "10.2.0." + random.nextInt(250), "sa-" + random.nextInt(3), "app", APPS.get(random.nextInt(APPS.size()))));
      case 2 -> {
        if (p != null) {
          store.remove(ref(p));
        }
      }
      case 3 -> {
        if (p != null) {
          put(store, new PodBuilder(p).editSpec().withServiceAccountName("sa-" + random.nextInt(3))
              .withNodeName("n" + random.nextInt(6)).endSpec().build());
        }
      }
      case 4 -> {
        int what = random.nextInt(4);
        if (what == 0) {
          store.remove("Namespace/" + ns);
        } else {
          Namespace n = what == 1 ? ambient(ns) : namespace(ns);
          put(store, random.nextBoolean() ? n : new NamespaceBuilder(n).editMetadata()
              .addToLabels(MeshLabels.USE_WAYPOINT, random.nextBoolean() ? "waypoint" : "none").endMetadata().build());
        }
      }
      case 5 -> put(store, service(ns, APPS.get(random.nextInt(APPS.size())) + (random.nextBoolean() ? "" : "-2"),
          "10.96.1." + random.nextInt(250), random.nextInt(5) == 0 ? null : labels("app",
              APPS.get(random.nextInt(APPS.size()))), port("http", 80, 8080)));
      case 6 -> {
        if (s != null) {
          store.remove(ref(s));
        }
      }
      case 7 -> {
        if (s != null) {
          put(store, random.nextBoolean()
              ? label(s, MeshLabels.USE_WAYPOINT, List.of("waypoint", "none", "missing", "sa-wp").get(random.nextInt(4)),
                  MeshLabels.USE_WAYPOINT_NAMESPACE, random.nextBoolean() ? "a" : "")
              : new ServiceBuilder(s).editMetadata().removeFromLabels(MeshLabels.USE_WAYPOINT).endMetadata().build());
        }
      }
      case 8 -> {
        int what = random.nextInt(4);
        if (what == 0) {
          store.remove("Gateway/a/waypoint");
        } else if (what == 1) {
          put(store, new GatewayBuilder(waypoint("a", "waypoint", null)).editSpec().withGatewayClassName("other")
              .endSpec().build());
        } else {
          put(store, waypoint("a", "waypoint", List.of("service", "workload", "all", "none", "bogus")
              .get(random.nextInt(5))));
        }
      }
      case 9 -> {
        if (random.nextBoolean()) {
          put(store, serviceAccountWaypoint(ns, random.nextBoolean() ? "sa-wp" : "sa-wp2", "sa-" + random.nextInt(3)));
        } else {
          store.remove("Gateway/" + ns + "/sa-wp");
        }
      }
      case 10 -> {
        Pod wp = waypointPod(ns, random.nextBoolean() ? "waypoint" : "sa-wp", "n" + random.nextInt(3),
            "10.1.0." + random.nextInt(250));
        int what = random.nextInt(3);
        if (what == 0) {
          store.remove(ref(wp));
        } else {
          put(store, what == 1 ? wp : notReady(wp));
        }
      }
      case 11 -> {
        if (p != null) {
          put(store, new PodBuilder(p).editMetadata()
              .addToLabels(random.nextBoolean() ? MeshLabels.USE_WAYPOINT : MeshLabels.DATAPLANE_MODE,
                  List.of("waypoint", "none", "ambient").get(random.nextInt(3)))
              .endMetadata().build());
        }
      }
      case 12 -> {
        put(store, new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName("web-rs")
            .addNewOwnerReference().withKind("Deployment").withName("web-" + step).endOwnerReference().endMetadata()
            .build());
        if (p != null) {
          put(store, new PodBuilder(p).editMetadata().withOwnerReferences().addNewOwnerReference()
              .withKind("ReplicaSet").withName("web-rs").endOwnerReference().endMetadata().build());
        }
      }
      case 13 -> {
        if (random.nextBoolean()) {
          put(store, policy(ns, "p", spec(labels("app", APPS.get(random.nextInt(APPS.size()))), "ALLOW")));
        } else {
          put(store, peerAuthentication(ns, "pa", null, random.nextBoolean() ? "STRICT" : "PERMISSIVE"));
        }
      }
      case 14 -> {
        Pod orphan = new PodBuilder(pod(ns, "orphan", "n1", "10.3.0.1", "sa")).editMetadata().withNamespace(null)
            .endMetadata().build();
        if (random.nextBoolean()) {
          store.put("orphan", orphan);
        } else {
          store.remove("orphan");
        }
      }
      case 15 -> {
        if (random.nextBoolean()) {
          store.put("nameless", new PodBuilder().withNewMetadata().withNamespace(ns).endMetadata().build());
          store.put("configmap", new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName("c").endMetadata()
              .build());
        } else {
          store.remove("nameless");
          store.remove("configmap");
        }
      }
      case 16 -> {
        if (p != null) {
          put(store, notReady(p));
        }
      }
      default -> {
        // A change that puts back an equal but new instance of an object.
        if (s != null) {
          put(store, new ServiceBuilder(s).build());
        }
      }
    }
  }

  private static void put(Map<String, HasMetadata> store, HasMetadata o) {
    store.put(ref(o), o);
  }

  private static String ref(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return o.getKind() + "/" + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
  }
}
