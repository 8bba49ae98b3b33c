package dev.meshctl.controlplane.translate;

import static dev.meshctl.controlplane.model.MeshFixtures.ambient;
import static dev.meshctl.controlplane.model.MeshFixtures.label;
import static dev.meshctl.controlplane.model.MeshFixtures.labels;
import static dev.meshctl.controlplane.model.MeshFixtures.namespace;
import static dev.meshctl.controlplane.model.MeshFixtures.notReady;
import static dev.meshctl.controlplane.model.MeshFixtures.pod;
import static dev.meshctl.controlplane.model.MeshFixtures.policy;
import static dev.meshctl.controlplane.model.MeshFixtures.port;
import static dev.meshctl.controlplane.model.MeshFixtures.service;
import static dev.meshctl.controlplane.model.MeshFixtures.spec;
import static dev.meshctl.controlplane.model.MeshFixtures.waypoint;
import static dev.meshctl.controlplane.model.MeshFixtures.waypointPod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Waypoint;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.api.mesh.WorkloadStatus;
import dev.meshctl.api.mesh.WorkloadType;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshLabels;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.WaypointBinding;
import dev.meshctl.controlplane.push.Snapshot;
import dev.meshctl.objects.istio.AuthorizationPolicySpec;
import dev.meshctl.objects.istio.PolicyTargetReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranslatorTest {
  private static final String APPS = "apps";

  /** A small bookinfo: productpage on n1, reviews v1/v2 on n1/n2 behind a waypoint on n2, curl (not enrolled) on n3. */
  static List<HasMetadata> bookinfo(boolean waypointReady) {
    Pod wp = waypointPod(APPS, "waypoint", "n2", "10.0.2.9");
    List<HasMetadata> objects = new ArrayList<>(List.of(
        ambient(APPS),
        namespace("client"),
        pod(APPS, "productpage-1", "n1", "10.0.1.1", "productpage", "app", "productpage", "version", "v1"),
        pod(APPS, "reviews-v1-1", "n1", "10.0.1.2", "reviews", "app", "reviews", "version", "v1"),
        pod(APPS, "reviews-v2-1", "n2", "10.0.2.2", "reviews", "app", "reviews", "version", "v2"),
        pod("client", "curl-1", "n3", "10.0.3.1", "curl", "app", "curl"),
        waypointReady ? wp : notReady(wp),
        waypoint(APPS, "waypoint", null),
        service(APPS, "productpage", "10.96.0.1", labels("app", "productpage"), port("http", 9080, "http-web")),
        label(service(APPS, "reviews", "10.96.0.2", labels("app", "reviews"), port("http", 9080, 9080)),
            MeshLabels.USE_WAYPOINT, "waypoint"),
        service(APPS, "reviews-v1", "10.96.0.3", labels("app", "reviews", "version", "v1"), port("http", 9080, 9080)),
        service(APPS, "reviews-v2", "10.96.0.4", labels("app", "reviews", "version", "v2"), port("http", 9080, 9080)),
        service(APPS, "headless", "None", labels("app", "reviews"), port("tcp", 1, 1)),
        RouteTranslatorTest.reviews(),
        policy(APPS, "allow-curl", spec(labels("app", "productpage"), "ALLOW",
            AuthorizationTranslatorTest.from(AuthorizationTranslatorTest.principals("cluster.local/ns/client/sa/curl")))),
        policy(APPS, "ns-deny", spec(null, "DENY", AuthorizationTranslatorTest.from(
            new AuthorizationPolicySpec.Source(null, null, null, null, List.of("bad"), null, null, null, null, null,
                null, null)))),
        policy("istio-system", "global", spec(null, "ALLOW", new AuthorizationPolicySpec.Rule(null, null, null))),
        policy(APPS, "audit", spec(null, "AUDIT")),
        policy(APPS, "reviews-get", new AuthorizationPolicySpec(null, null,
            List.of(new PolicyTargetReference("", "Service", "reviews", null)), "ALLOW", null,
            List.of(AuthorizationTranslatorTest.to(AuthorizationTranslatorTest.op(null, List.of("GET"), null)))))));
    return objects;
  }

  static Translation translate(List<HasMetadata> objects) {
    return new Translator().translate(MeshModel.of(objects, MeshConfig.defaults().withNodes(List.of("n4"))));
  }

  static <T extends Message> T get(Snapshot s, Class<T> type, String name) {
    Resource r = s.resource(TypeUrls.of(type), name).orElseThrow(() -> new AssertionError("no " + name));
    try {
      return r.getResource().unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void oneSnapshotPerNodeAndWaypoint() {
    Translation t = translate(bookinfo(true));
    assertThat(t.snapshots()).containsOnlyKeys("node-agent~n1", "node-agent~n2", "node-agent~n3", "node-agent~n4",
        "waypoint~apps/waypoint");
    assertThat(t.snapshots().get("node-agent~n4").typeUrls())
        .containsExactlyInAnyOrderElementsOf(TypeUrls.NODE_AGENT_TYPES);
    assertThat(t.snapshots().get("waypoint~apps/waypoint").typeUrls())
        .containsExactlyInAnyOrderElementsOf(TypeUrls.WAYPOINT_TYPES);
  }

  @Test
  void workloadFields() {
    Snapshot n1 = translate(bookinfo(true)).snapshots().get("node-agent~n1");
    Workload w = get(n1, Workload.class, "Kubernetes//Pod/apps/productpage-1");
    assertThat(w.getUid()).isEqualTo("Kubernetes//Pod/apps/productpage-1");
    assertThat(w.getNode()).isEqualTo("n1");
    assertThat(w.getAddressesList()).containsExactly("10.0.1.1");
    assertThat(w.getServiceAccount()).isEqualTo("productpage");
    assertThat(w.getTrustDomain()).isEqualTo("cluster.local");
    assertThat(w.getWorkloadName()).isEqualTo("productpage");
    assertThat(w.getWorkloadType()).isEqualTo(WorkloadType.DEPLOYMENT);
    assertThat(w.getCanonicalName()).isEqualTo("productpage");
    assertThat(w.getCanonicalRevision()).isEqualTo("v1");
    assertThat(w.getTunnelProtocol()).isEqualTo(TunnelProtocol.HBONE);
    assertThat(w.getStatus()).isEqualTo(WorkloadStatus.HEALTHY);
    assertThat(w.hasWaypoint()).isFalse();
    assertThat(w.getAuthorizationPoliciesList()).containsExactly("apps/allow-curl");
    assertThat(w.getServicesMap()).containsOnlyKeys("apps/productpage.apps.svc.cluster.local");
    assertThat(w.getServicesMap().get("apps/productpage.apps.svc.cluster.local").getPortsList()).containsExactly(
        Port.newBuilder().setServicePort(9080).setTargetPort(9080).setAppProtocol("http").setName("http").build());

    Workload curl = get(n1, Workload.class, "Kubernetes//Pod/client/curl-1");
    assertThat(curl.getTunnelProtocol()).isEqualTo(TunnelProtocol.NONE);
    Workload waypointPod = get(n1, Workload.class, "Kubernetes//Pod/apps/waypoint-abc12");
    assertThat(waypointPod.getTunnelProtocol()).as("waypoints are never captured").isEqualTo(TunnelProtocol.NONE);
  }

  @Test
  void servicesCarryTheirWaypointOnlyWhenReady() {
    Snapshot ready = translate(bookinfo(true)).snapshots().get("node-agent~n1");
    Service reviews = get(ready, Service.class, "apps/reviews.apps.svc.cluster.local");
    assertThat(reviews.getHostname()).isEqualTo("reviews.apps.svc.cluster.local");
    assertThat(reviews.getAddressesList()).containsExactly("10.96.0.2");
    assertThat(reviews.getWaypoint().getAddress()).isEqualTo("10.0.2.9");
    assertThat(reviews.getWaypoint().getHbonePort()).isEqualTo(15008);
    assertThat(reviews.getWaypoint().getIdentity()).isEqualTo("spiffe://cluster.local/ns/apps/sa/waypoint");
    Service productpage = get(ready, Service.class, "apps/productpage.apps.svc.cluster.local");
    assertThat(productpage.hasWaypoint()).isFalse();
    assertThat(productpage.getPorts(0).getTargetPort()).as("named port: resolved per workload").isZero();
    assertThat(ready.resource(TypeUrls.SERVICE, "apps/headless.apps.svc.cluster.local")).isEmpty();

    Translation notReady = translate(bookinfo(false));
    Service direct = get(notReady.snapshots().get("node-agent~n1"), Service.class, "apps/reviews.apps.svc.cluster.local");
    assertThat(direct.hasWaypoint()).isFalse();
    assertThat(notReady.bindings()).singleElement().satisfies(b -> {
      assertThat(b.subject()).isEqualTo(WaypointBinding.Subject.SERVICE);
      assertThat(b.ready()).isFalse();
      assertThat(b.reason()).contains("no ready instance");
    });
    Waypoint w = get(notReady.snapshots().get("node-agent~n1"), Waypoint.class, "apps/waypoint");
    assertThat(w.getReady()).isFalse();
  }

  @Test
  void nodeAgentsGetOnlyPoliciesThatCanApplyToTheirPods() {
    Translation t = translate(bookinfo(true));
    assertThat(t.snapshots().get("node-agent~n1").resources(TypeUrls.AUTHORIZATION))
        .containsOnlyKeys("apps/allow-curl", "apps/ns-deny", "istio-system/global");
    assertThat(t.snapshots().get("node-agent~n2").resources(TypeUrls.AUTHORIZATION))
        .containsOnlyKeys("apps/ns-deny", "istio-system/global");
    assertThat(t.snapshots().get("node-agent~n3").resources(TypeUrls.AUTHORIZATION))
        .containsOnlyKeys("istio-system/global");
    assertThat(t.snapshots().get("node-agent~n4").resources(TypeUrls.AUTHORIZATION))
        .containsOnlyKeys("istio-system/global");
    assertThat(t.warnings()).anySatisfy(w -> assertThat(w).contains("apps/audit").contains("AUDIT"));
  }

  @Test
  void waypointSnapshotHasItsBoundServicesRoutesBackendsAndTargetedPolicies() {
    Snapshot s = translate(bookinfo(true)).snapshots().get("waypoint~apps/waypoint");
    assertThat(get(s, Waypoint.class, "apps/waypoint").getReady()).isTrue();
    assertThat(s.resources(TypeUrls.SERVICE)).containsOnlyKeys("apps/reviews.apps.svc.cluster.local",
        "apps/reviews-v1.apps.svc.cluster.local", "apps/reviews-v2.apps.svc.cluster.local");
    assertThat(s.resources(TypeUrls.WORKLOAD)).containsOnlyKeys("Kubernetes//Pod/apps/reviews-v1-1",
        "Kubernetes//Pod/apps/reviews-v2-1");
    Route route = get(s, Route.class, "apps/reviews");
    assertThat(route.getParentsList()).containsExactly("apps/reviews.apps.svc.cluster.local");
    assertThat(route.getRules(1).getBackendsList()).extracting(b -> b.getWeight()).containsExactly(90, 10);
    Authorization a = get(s, Authorization.class, "apps/reviews-get");
    assertThat(a.getScope()).isEqualTo(Scope.WAYPOINT);
    assertThat(a.getTargetServicesList()).containsExactly("apps/reviews.apps.svc.cluster.local");
    assertThat(a.getRules(0).getMatches(0).getMatches(0).getMethods(0).getExact()).isEqualTo("GET");
    assertThat(s.resources(TypeUrls.AUTHORIZATION)).containsOnlyKeys("apps/reviews-get");
  }

  @Test
  void policyTargetingTheGatewayAppliesToAllItsTraffic() {
    List<HasMetadata> objects = bookinfo(true);
    objects.add(policy(APPS, "gw", new AuthorizationPolicySpec(null,
        new PolicyTargetReference("gateway.networking.k8s.io", "Gateway", "waypoint", null), null, "DENY", null,
        null)));
    objects.add(policy(APPS, "lost", new AuthorizationPolicySpec(null,
        new PolicyTargetReference("", "Service", "productpage", null), null, "DENY", null, null)));
    Translation t = translate(objects);
    Authorization a = get(t.snapshots().get("waypoint~apps/waypoint"), Authorization.class, "apps/gw");
    assertThat(a.getTargetServicesList()).isEmpty();
    assertThat(t.warnings()).anySatisfy(w -> assertThat(w).contains("apps/lost").contains("not bound to a waypoint"));
    t.snapshots().values().forEach(s -> assertThat(s.resources(TypeUrls.AUTHORIZATION)).doesNotContainKey("apps/lost"));
  }

  @Test
  void nodeSnapshotsShareTheSameResourceMaps() {
    Map<String, Snapshot> s = translate(bookinfo(true)).snapshots();
    assertThat(s.get("node-agent~n1").resources(TypeUrls.WORKLOAD))
        .isSameAs(s.get("node-agent~n2").resources(TypeUrls.WORKLOAD));
    assertThat(s.get("node-agent~n3").resources(TypeUrls.AUTHORIZATION))
        .as("equal policy sets are shared too").isSameAs(s.get("node-agent~n4").resources(TypeUrls.AUTHORIZATION));
  }

  @Test
  void sharedTypesGiveTheSameVersionAsAddingResourcesOneByOne() {
    Snapshot shared = translate(bookinfo(true)).snapshots().get("node-agent~n1");
    Snapshot.Builder copy = Snapshot.builder();
    for (String type : shared.typeUrls()) {
      copy.type(type);
      shared.resources(type).values().forEach(copy::add);
    }
    assertThat(copy.build().version()).isEqualTo(shared.version());
    assertThat(copy.build()).isEqualTo(shared);
  }

  @Test
  void equalInputGivesEqualSnapshotsWhateverTheOrder() {
    List<HasMetadata> shuffled = bookinfo(true);
    Collections.reverse(shuffled);
    Map<String, Snapshot> a = translate(bookinfo(true)).snapshots();
    Map<String, Snapshot> b = translate(shuffled).snapshots();
    assertThat(b).isEqualTo(a);
    a.forEach((key, s) -> assertThat(b.get(key).version()).isEqualTo(s.version()));
  }

  @Test
  void perServiceAccountWaypointCarriesWorkloadTrafficAndGatewayRoutes() {
    Pod ratings = pod(APPS, "ratings-1", "n1", "10.0.1.5", "ratings", "app", "ratings");
    var route = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder()
        .withNewMetadata().withNamespace(APPS).withName("via-gateway").endMetadata()
        .withNewSpec().addNewParentRef().withName("ratings-wp").endParentRef()
            .addNewRule().addNewBackendRef().withName("ratings").withPort(9080).endBackendRef().endRule()
        .endSpec().build();
    Translation t = translate(List.of(ambient(APPS), ratings,
        service(APPS, "ratings", "10.96.0.5", labels("app", "ratings"), port("http", 9080, 9080)),
        dev.meshctl.controlplane.model.MeshFixtures.serviceAccountWaypoint(APPS, "ratings-wp", "ratings"),
        waypointPod(APPS, "ratings-wp", "n2", "10.0.2.5"), route));

    Workload w = get(t.snapshots().get("node-agent~n1"), Workload.class, "Kubernetes//Pod/apps/ratings-1");
    assertThat(w.getWaypoint().getAddress()).isEqualTo("10.0.2.5");
    Service s = get(t.snapshots().get("node-agent~n1"), Service.class, "apps/ratings.apps.svc.cluster.local");
    assertThat(s.getWaypoint().getIdentity()).isEqualTo("spiffe://cluster.local/ns/apps/sa/ratings-wp");
    Snapshot wp = t.snapshots().get("waypoint~apps/ratings-wp");
    assertThat(get(wp, Waypoint.class, "apps/ratings-wp").getServiceAccount()).isEqualTo("ratings");
    assertThat(wp.resources(TypeUrls.WORKLOAD)).containsOnlyKeys("Kubernetes//Pod/apps/ratings-1");
    assertThat(get(wp, Route.class, "apps/via-gateway").getParentsList())
        .containsExactly("apps/ratings.apps.svc.cluster.local");
  }

  @Test
  void emptyModelGivesOnlyConfiguredNodes() {
    Translation t = new Translator().translate(MeshModel.of(List.of(), MeshConfig.defaults().withNodes(List.of("n1"))));
    assertThat(t.snapshots()).containsOnlyKeys("node-agent~n1");
    assertThat(t.snapshots().get("node-agent~n1").size()).isZero();
    assertThat(t.warnings()).isEmpty();
  }
}
