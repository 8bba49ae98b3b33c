package dev.meshctl.controlplane.model;

import static dev.meshctl.controlplane.model.MeshFixtures.ambient;
import static dev.meshctl.controlplane.model.MeshFixtures.label;
import static dev.meshctl.controlplane.model.MeshFixtures.labels;
import static dev.meshctl.controlplane.model.MeshFixtures.model;
import static dev.meshctl.controlplane.model.MeshFixtures.namespace;
import static dev.meshctl.controlplane.model.MeshFixtures.notReady;
import static dev.meshctl.controlplane.model.MeshFixtures.pod;
import static dev.meshctl.controlplane.model.MeshFixtures.port;
import static dev.meshctl.controlplane.model.MeshFixtures.service;
import static dev.meshctl.controlplane.model.MeshFixtures.serviceAccountWaypoint;
import static dev.meshctl.controlplane.model.MeshFixtures.waypoint;
import static dev.meshctl.controlplane.model.MeshFixtures.waypointPod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.controlplane.model.WaypointBinding.Source;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeshModelTest {

  @ParameterizedTest(name = "namespace={0} pod={1} waypointInstance={2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      "ambient, -,       false, true",
      "-,       -,       false, false",
      "-,       ambient, false, true",
      "ambient, none,    false, false",
      "none,    ambient, false, true",
      "ambient, ambient, true,  false",
      "ambient, other,   false, true",
  })
  void enrollmentPodLabelBeatsNamespaceAndWaypointsAreNeverCaptured(String nsMode, String podMode,
      boolean waypointInstance, boolean enrolled) {
    Namespace ns = nsMode == null ? namespace("apps") : namespace("apps", MeshLabels.DATAPLANE_MODE, nsMode);
    Map<String, String> l = new java.util.HashMap<>();
    if (podMode != null) {
      l.put(MeshLabels.DATAPLANE_MODE, podMode);
    }
    if (waypointInstance) {
      l.put(MeshLabels.GATEWAY_NAME, "waypoint");
    }
    Pod p = pod("apps", "p", "n1", "10.0.0.1", "sa", l.entrySet().stream()
        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new));
    assertThat(model(ns, p).enrolled(p)).isEqualTo(enrolled);
  }

  @Test
  void unknownNamespaceDoesNotEnroll() {
    Pod p = pod("ghost", "p", "n1", "10.0.0.1", "sa");
    assertThat(model(p).enrolled(p)).isFalse();
  }

  private static final Pod REVIEWS = pod("apps", "reviews-1", "n1", "10.0.0.5", "reviews", "app", "reviews");
  private static final Service REVIEWS_SVC = service("apps", "reviews", "10.96.0.5", labels("app", "reviews"),
      port("http", 9080, 9080));

  @Test
  void namespaceLabelBindsServiceToReadyWaypoint() {
    MeshModel m = model(namespace("apps", MeshLabels.DATAPLANE_MODE, "ambient", MeshLabels.USE_WAYPOINT, "waypoint"),
        REVIEWS, REVIEWS_SVC, waypoint("apps", "waypoint", null), waypointPod("apps", "waypoint", "n2", "10.0.0.9"));

    WaypointBinding b = m.waypointFor(REVIEWS_SVC).orElseThrow();
    assertThat(b.ready()).isTrue();
    assertThat(b.source()).isEqualTo(Source.NAMESPACE_LABEL);
    assertThat(m.readyWaypoint(m.waypointFor(REVIEWS_SVC))).get()
        .satisfies(w -> {
          assertThat(w.address()).isEqualTo("10.0.0.9");
          assertThat(w.identity()).isEqualTo("spiffe://cluster.local/ns/apps/sa/waypoint");
        });
    // A service waypoint does not take workload traffic.
    assertThat(m.waypointFor(REVIEWS)).get().satisfies(w -> {
      assertThat(w.accepted()).isFalse();
      assertThat(w.reason()).contains("does not take workload traffic");
    });
  }

  @Test
  void serviceLabelBeatsNamespaceLabelAndNoneOptsOut() {
    Namespace ns = namespace("apps", MeshLabels.USE_WAYPOINT, "ns-waypoint");
    Service own = label(REVIEWS_SVC, MeshLabels.USE_WAYPOINT, "svc-waypoint");
    Service optOut = label(service("apps", "ratings", "10.96.0.6", labels("app", "ratings")),
        MeshLabels.USE_WAYPOINT, "none");
    Service inherits = service("apps", "details", "10.96.0.7", labels("app", "details"));
    MeshModel m = model(ns, own, optOut, inherits,
        waypoint("apps", "ns-waypoint", null), waypointPod("apps", "ns-waypoint", "n1", "10.0.0.8"),
        waypoint("apps", "svc-waypoint", null), waypointPod("apps", "svc-waypoint", "n1", "10.0.0.9"));

    assertThat(m.waypointFor(own)).get().extracting(WaypointBinding::waypointName, WaypointBinding::source)
        .containsExactly("svc-waypoint", Source.OBJECT_LABEL);
    assertThat(m.waypointFor(optOut)).isEmpty();
    assertThat(m.waypointFor(inherits)).get().extracting(WaypointBinding::waypointName).isEqualTo("ns-waypoint");
  }

  @Test
  void waypointInAnotherNamespace() {
    Service s = label(REVIEWS_SVC, MeshLabels.USE_WAYPOINT, "shared", MeshLabels.USE_WAYPOINT_NAMESPACE, "infra");
    MeshModel m = model(s, waypoint("infra", "shared", null), waypointPod("infra", "shared", "n1", "10.0.1.1"));
    assertThat(m.waypointFor(s)).get().satisfies(b -> {
      assertThat(b.waypointKey()).isEqualTo("infra/shared");
      assertThat(b.ready()).isTrue();
    });
  }

  @ParameterizedTest(name = "waypoint-for={0}: service={1} workload={2}")
  @CsvSource(nullValues = "-", value = {
      "-,        true,  false",
      "service,  true,  false",
      "workload, false, true",
      "all,      true,  true",
      "none,     false, false",
  })
  void waypointForDecidesWhichTrafficBinds(String waypointFor, boolean service, boolean workload) {
    Namespace ns = namespace("apps", MeshLabels.DATAPLANE_MODE, "ambient", MeshLabels.USE_WAYPOINT, "wp");
    MeshModel m = model(ns, REVIEWS, REVIEWS_SVC, waypoint("apps", "wp", waypointFor),
        waypointPod("apps", "wp", "n1", "10.0.0.9"));
    assertThat(m.waypointFor(REVIEWS_SVC).orElseThrow().ready()).isEqualTo(service);
    assertThat(m.waypointFor(REVIEWS).orElseThrow().ready()).isEqualTo(workload);
  }

  @Test
  void podLabelBindsWorkloadTraffic() {
    Pod p = pod("apps", "p", "n1", "10.0.0.3", "sa", MeshLabels.USE_WAYPOINT, "wp");
    MeshModel m = model(ambient("apps"), p, waypoint("apps", "wp", "workload"), waypointPod("apps", "wp", "n1", "10.0.0.9"));
    assertThat(m.waypointFor(p)).get().extracting(WaypointBinding::ready, WaypointBinding::source)
        .containsExactly(true, Source.OBJECT_LABEL);
  }

  @Test
  void notReadyWaypointMeansDirectWithReason() {
    Namespace ns = namespace("apps", MeshLabels.USE_WAYPOINT, "wp");
    MeshModel m = model(ns, REVIEWS, REVIEWS_SVC, waypoint("apps", "wp", null),
        notReady(waypointPod("apps", "wp", "n1", "10.0.0.9")));
    WaypointBinding b = m.waypointFor(REVIEWS_SVC).orElseThrow();
    assertThat(b.accepted()).isTrue();
    assertThat(b.ready()).isFalse();
    assertThat(b.reason()).contains("no ready instance").contains("direct");
    assertThat(m.readyWaypoint(m.waypointFor(REVIEWS_SVC))).isEmpty();
    assertThat(m.bindings()).containsExactly(b);
  }

  @Test
  void missingOrNonWaypointGatewayIsReported() {
    Service a = label(REVIEWS_SVC, MeshLabels.USE_WAYPOINT, "ghost");
    Service b = label(service("apps", "other", "10.96.0.8", labels("app", "x")), MeshLabels.USE_WAYPOINT, "ingress");
    var ingress = new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder(waypoint("apps", "ingress", null))
        .editSpec().withGatewayClassName("nginx").endSpec().build();
    MeshModel m = model(a, b, ingress);
    assertThat(m.waypointFor(a).orElseThrow().reason()).contains("does not exist").contains("meshctl waypoint apply");
    assertThat(m.waypointFor(b).orElseThrow().reason()).contains("is not a waypoint").contains("nginx");
  }

  @Test
  void perServiceAccountWaypointBindsPodsAndSingleAccountServices() {
    Pod other = pod("apps", "ratings-1", "n1", "10.0.0.6", "ratings", "app", "ratings");
    Service ratings = service("apps", "ratings", "10.96.0.6", labels("app", "ratings"));
    Service mixed = service("apps", "mixed", "10.96.0.7", Map.of("tier", "x"));
    Pod mixedA = pod("apps", "a", "n1", "10.0.0.7", "reviews", "tier", "x");
    Pod mixedB = pod("apps", "b", "n1", "10.0.0.8", "ratings", "tier", "x");
    MeshModel m = model(ambient("apps"), REVIEWS, REVIEWS_SVC, other, ratings, mixed, mixedA, mixedB,
        serviceAccountWaypoint("apps", "reviews-wp", "reviews"), waypointPod("apps", "reviews-wp", "n2", "10.0.0.9"));

    assertThat(m.waypointFor(REVIEWS)).get().extracting(WaypointBinding::waypointName, WaypointBinding::source,
        WaypointBinding::ready).containsExactly("reviews-wp", Source.SERVICE_ACCOUNT, true);
    assertThat(m.waypointFor(REVIEWS_SVC)).get().extracting(WaypointBinding::ready).isEqualTo(true);
    assertThat(m.waypointFor(other)).isEmpty();
    assertThat(m.waypointFor(ratings)).isEmpty();
    assertThat(m.waypointFor(mixed)).as("not all of its pods use the account").isEmpty();
    assertThat(m.waypointFor(mixedA)).isPresent();
  }

  @Test
  void waypointIdentityFollowsItsPodsAccountAndAddressPrefersItsService() {
    Pod instance = pod("apps", "wp-1", "n1", "10.0.0.9", "custom-sa", MeshLabels.GATEWAY_NAME, "wp");
    Service vip = service("apps", "wp", "10.96.0.99", labels(MeshLabels.GATEWAY_NAME, "wp"));
    MeshModel m = model(waypoint("apps", "wp", null), instance, vip);
    MeshWaypoint w = m.waypoint("apps", "wp").orElseThrow();
    assertThat(w.identity()).isEqualTo("spiffe://cluster.local/ns/apps/sa/custom-sa");
    assertThat(w.address()).isEqualTo("10.96.0.99");
    assertThat(w.instanceAddresses()).containsExactly("10.0.0.9");
    assertThat(w.hbonePort()).isEqualTo(15008);
  }

  @Test
  void selectsPodsByLabelsWithinTheNamespaceOnly() {
    Pod elsewhere = pod("other", "reviews-x", "n1", "10.0.1.5", "reviews", "app", "reviews");
    MeshModel m = model(REVIEWS, elsewhere, REVIEWS_SVC);
    assertThat(m.podsSelectedBy(REVIEWS_SVC)).containsExactly(REVIEWS);
    assertThat(m.servicesOf(REVIEWS)).containsExactly(REVIEWS_SVC);
    Service noSelector = new ServiceBuilder(REVIEWS_SVC).editSpec().withSelector(null).endSpec().build();
    assertThat(model(REVIEWS, noSelector).podsSelectedBy(noSelector)).isEmpty();
  }

  @Test
  void ownerIsTheDeploymentAlsoThroughAReplicaSetName() {
    Pod viaRs = new io.fabric8.kubernetes.api.model.PodBuilder(pod("apps", "web-7c9f-x", "n1", "10.0.0.1", "sa",
        "pod-template-hash", "7c9f"))
        .editMetadata().withOwnerReferences().addNewOwnerReference().withKind("ReplicaSet").withName("web-7c9f")
        .endOwnerReference().endMetadata().build();
    Pod bare = new io.fabric8.kubernetes.api.model.PodBuilder(pod("apps", "solo", "n1", "10.0.0.2", "sa"))
        .editMetadata().withOwnerReferences(List.of()).endMetadata().build();
    MeshModel m = model(viaRs, bare);
    assertThat(m.owner(viaRs)).isEqualTo(new MeshModel.Owner("Deployment", "web"));
    assertThat(m.owner(bare)).isEqualTo(new MeshModel.Owner("Pod", "solo"));
  }

  @Test
  void objectsWithoutNamespaceAreReportedNotEdited() {
    Pod p = pod(null, "p", "n1", "10.0.0.1", "sa");
    MeshModel m = model(p);
    assertThat(m.pods()).isEmpty();
    assertThat(m.warnings()).anySatisfy(w -> assertThat(w).contains("no metadata.namespace"));
    assertThat(p.getMetadata().getNamespace()).isNull();
  }

  @Test
  void invalidWaypointForIsReportedAndTreatedAsService() {
    MeshModel m = model(waypoint("apps", "wp", "everything"));
    assertThat(m.waypoint("apps", "wp").orElseThrow().waypointFor()).isEqualTo(MeshWaypoint.TrafficType.SERVICE);
    assertThat(m.warnings()).anySatisfy(w -> assertThat(w).contains("everything"));
  }
}
