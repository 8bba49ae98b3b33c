package dev.meshctl.controlplane.translate;

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
import static dev.meshctl.controlplane.model.MeshFixtures.spec;
import static dev.meshctl.controlplane.model.MeshFixtures.waypoint;
import static dev.meshctl.controlplane.model.MeshFixtures.waypointPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.discovery.Resource;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshLabels;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.push.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncrementalTranslationTest {
  private static final String APPS = "apps";

  @Test
  void incrementalTranslationEqualsAFreshOneOverRandomChanges() {
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      Map<String, HasMetadata> store = new LinkedHashMap<>();
      TranslatorTest.bookinfo(true).forEach(o -> put(store, o));
      Translator incremental = new Translator();
      for (int step = 0; step < 60; step++) {
        change(store, random, step);
        MeshModel model = MeshModel.of(new ArrayList<>(store.values()), MeshConfig.defaults());
        Translation got = incremental.translate(model);
        Translation want = new Translator().translate(model);
        assertSame(got, want, "seed " + seed + " step " + step);
      }
    }
  }

  @Test
  void translationOfAnUpdatedModelEqualsAFreshOneOverRandomChanges() {
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      Map<String, HasMetadata> store = new LinkedHashMap<>();
      TranslatorTest.bookinfo(true).forEach(o -> put(store, o));
      Translator incremental = new Translator();
      MeshModel model = MeshModel.of(new ArrayList<>(store.values()), MeshConfig.defaults());
      for (int step = 0; step < 60; step++) {
        change(store, random, step);
        List<HasMetadata> objects = new ArrayList<>(store.values());
        model = MeshModel.update(model, objects);
        Translation got = incremental.translate(model);
        Translation want = new Translator().translate(MeshModel.of(objects, MeshConfig.defaults()));
        assertSame(got, want, "seed " + seed + " step " + step);
      }
    }
  }

  @Test
  void unchangedObjectsReuseTheirResourcesAndSharedSets() {
    Translator translator = new Translator();
    List<HasMetadata> objects = TranslatorTest.bookinfo(true);
    Translation first = translator.translate(MeshModel.of(objects, MeshConfig.defaults()));
    Translation again = translator.translate(MeshModel.of(objects, MeshConfig.defaults()));

    Snapshot a = first.snapshots().get("node-agent~n1");
    Snapshot b = again.snapshots().get("node-agent~n1");
    assertThat(b).isEqualTo(a);
    for (String type : a.typeUrls()) {
      assertThat(b.resources(type)).as(type).isSameAs(a.resources(type));
    }
  }

  @Test
  void aFailedTranslationLeavesTheTranslatorUsable() {
    Translator translator = new Translator();
    List<HasMetadata> objects = TranslatorTest.bookinfo(true);
    translator.translate(MeshModel.of(objects, MeshConfig.defaults()));
    assertThatThrownBy(() -> translator.translate(null)).isInstanceOf(NullPointerException.class);
    MeshModel model = MeshModel.of(objects, MeshConfig.defaults());
    assertSame(translator.translate(model), new Translator().translate(model), "after a failure");
  }

  private static void assertSame(Translation got, Translation want, String where) {
    assertThat(got.snapshots().keySet()).as(where).isEqualTo(want.snapshots().keySet());
    want.snapshots().forEach((proxy, w) -> {
      Snapshot g = got.snapshots().get(proxy);
      assertThat(g.version()).as(where + " " + proxy).isEqualTo(w.version());
      assertThat(g.typeUrls()).as(where + " " + proxy).isEqualTo(w.typeUrls());
      for (String type : w.typeUrls()) {
        Map<String, Resource> gr = g.resources(type);
        assertThat(gr.keySet()).as(where + " " + proxy + " " + type).isEqualTo(w.resources(type).keySet());
        w.resources(type).forEach((name, r) -> assertThat(gr.get(name).toByteString())
            .as(where + " " + proxy + " " + name).isEqualTo(r.toByteString()));
      }
    });
    assertThat(got.warnings()).as(where).isEqualTo(want.warnings());
    assertThat(got.bindings()).as(where).isEqualTo(want.bindings());
  }

  /** Applies one random change of the kinds a translation reads across objects. */
  private static void change(Map<String, HasMetadata> store, Random random, int step) {
    List<Pod> pods = store.values().stream().filter(o -> o instanceof Pod).map(o -> (Pod) o).toList();
    List<Service> services = store.values().stream().filter(o -> o instanceof Service).map(o -> (Service) o)
        .toList();
    switch (random.nextInt(13)) {
      case 0 -> {
        Pod p = pods.get(random.nextInt(pods.size()));
        put(store, new PodBuilder(p).editMetadata().addToLabels("rev", "g" + step).endMetadata().build());
      }
      case 1 -> {
        Pod p = pods.get(random.nextInt(pods.size()));
        String app = List.of("productpage", "reviews", "curl", "other").get(random.nextInt(4));
        put(store, new PodBuilder(p).editMetadata().addToLabels("app", app).endMetadata().build());
      }
      case 2 -> {
        String ns = random.nextBoolean() ? APPS : "client";
        put(store, pod(ns, "extra-" + step, "n" + (1 + random.nextInt(4)), "10.0.9." + step, "extra", "app",
            random.nextBoolean() ? "reviews" : "productpage", "version", "v" + random.nextInt(3)));
      }
      case 3 -> {
        if (pods.size() > 2) {
          store.remove(MeshModel.key(pods.get(random.nextInt(pods.size()))));
        }
      }
      case 4 -> put(store, random.nextBoolean() ? ambient(APPS) : namespace(APPS));
      case 5 -> {
        Pod wp = waypointPod(APPS, "waypoint", "n2", "10.0.2.9");
        put(store, random.nextBoolean() ? wp : notReady(wp));
      }
      case 6 -> {
        Service s = services.get(random.nextInt(services.size()));
        put(store, random.nextBoolean() ? label(s, MeshLabels.USE_WAYPOINT, "waypoint")
            : new ServiceBuilder(s).editMetadata().removeFromLabels(MeshLabels.USE_WAYPOINT).endMetadata().build());
      }
      case 7 -> {
        Service s = services.get(random.nextInt(services.size()));
        put(store, new ServiceBuilder(s).editSpec().withSelector(labels("version", "v" + random.nextInt(3)))
            .endSpec().build());
      }
      case 8 -> put(store, service(APPS, "svc-" + random.nextInt(4), "10.96.1." + random.nextInt(200),
          labels("app", "reviews"), port("http", 80, random.nextBoolean() ? 9080 : "http-web")));
      case 9 -> {
        String app = random.nextBoolean() ? "reviews" : "productpage";
        put(store, policy(APPS, "p-" + random.nextInt(3), spec(labels("app", app), "ALLOW",
            AuthorizationTranslatorTest.from(AuthorizationTranslatorTest.principals("cluster.local/ns/x/sa/" + step)))));
      }
      case 10 -> {
        Pod p = pods.get(random.nextInt(pods.size()));
        put(store, random.nextBoolean()
            ? new PodBuilder(p).editMetadata().addToLabels(MeshLabels.USE_WAYPOINT, "waypoint").endMetadata().build()
            : new PodBuilder(p).editMetadata().removeFromLabels(MeshLabels.USE_WAYPOINT).endMetadata().build());
      }
      case 11 -> put(store, waypoint(APPS, "waypoint", List.of("service", "workload", "all").get(random.nextInt(3))));
      default -> put(store, peerAuthentication(APPS, "pa", random.nextBoolean() ? labels("app", "reviews") : null,
          random.nextBoolean() ? "STRICT" : "PERMISSIVE"));
    }
  }

  private static void put(Map<String, HasMetadata> store, HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    store.put(ns == null ? o.getMetadata().getName() : MeshModel.key(o), o);
  }
}
