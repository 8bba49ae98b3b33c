package dev.meshctl.controlplane.translate;

import static dev.meshctl.controlplane.model.MeshFixtures.labels;
import static dev.meshctl.controlplane.model.MeshFixtures.model;
import static dev.meshctl.controlplane.model.MeshFixtures.peerAuthentication;
import static dev.meshctl.controlplane.model.MeshFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAuthenticationTranslatorTest {
  private static final Pod WEB = pod("apps", "web", "n1", "10.0.0.1", "web", "app", "web");
  private static final Pod OLD = pod("apps", "old", "n1", "10.0.0.2", "old", "app", "old");
  private static final Pod LEGACY = pod("legacy", "db", "n2", "10.0.1.1", "db", "app", "db");
  private final List<String> warnings = new ArrayList<>();

  private List<Authorization> translate(HasMetadata... objects) {
    return new PeerAuthenticationTranslator(model(objects), warnings).translate();
  }

  private static Match match(Authorization a) {
    assertThat(a.getAction()).isEqualTo(Action.DENY);
    Match m = a.getRules(0).getMatches(0).getMatches(0);
    assertThat(m.getNotPrincipalsList()).containsExactly(StringMatch.newBuilder().setPresence(true).build());
    return m;
  }

  private static Cidr ip(String address) {
    return Cidr.newBuilder().setAddress(address).setLength(32).build();
  }

  @Test
  void meshStrictDeniesPlaintextEverywhere() {
    List<Authorization> out = translate(WEB, LEGACY, peerAuthentication("istio-system", "default", null, "STRICT"));
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getName()).isEqualTo("converted/istio-system/default");
      assertThat(a.getScope()).isEqualTo(Scope.GLOBAL);
      assertThat(match(a).getNotDestinationIpsList()).isEmpty();
    });
  }

  @Test
  void permissiveNamespaceCancelsMeshStrictForItsPods() {
    List<Authorization> out = translate(WEB, LEGACY, peerAuthentication("istio-system", "default", null, "STRICT"),
        peerAuthentication("legacy", "default", null, "PERMISSIVE"));
    assertThat(out).singleElement().satisfies(a -> assertThat(match(a).getNotDestinationIpsList())
        .containsExactly(ip("10.0.1.1")));
  }

  @Test
  void unsetNamespaceInheritsMesh() {
    List<Authorization> out = translate(WEB, LEGACY, peerAuthentication("istio-system", "default", null, "STRICT"),
        peerAuthentication("legacy", "default", null, "UNSET"));
    assertThat(out).singleElement().satisfies(a -> assertThat(match(a).getNotDestinationIpsList()).isEmpty());
  }

  @Test
  void permissiveSelectorCancelsNamespaceStrictForItsPods() {
    List<Authorization> out = translate(WEB, OLD, peerAuthentication("apps", "strict", null, "STRICT"),
        peerAuthentication("apps", "old", labels("app", "old"), "PERMISSIVE"));
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getName()).isEqualTo("converted/apps/strict");
      assertThat(a.getScope()).isEqualTo(Scope.NAMESPACE);
      assertThat(match(a).getNotDestinationIpsList()).containsExactly(ip("10.0.0.2"));
    });
  }

  @Test
  void strictSelectorWithPermissivePort() {
    List<Authorization> out = translate(WEB, OLD,
        peerAuthentication("apps", "web", labels("app", "web"), "STRICT", "8080", "PERMISSIVE", "9080", "STRICT"));
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getScope()).isEqualTo(Scope.WORKLOAD_SELECTOR);
      assertThat(a.getSelectorMap()).isEqualTo(labels("app", "web"));
      Match m = match(a);
      assertThat(m.getNotDestinationPortsList()).containsExactly(8080);
      assertThat(m.getDestinationPortsList()).isEmpty();
    });
  }

  @Test
  void strictPortOnAPermissiveWorkloadDeniesOnlyThatPort() {
    List<Authorization> out = translate(WEB,
        peerAuthentication("apps", "web", labels("app", "web"), null, "9090", "STRICT"));
    assertThat(out).singleElement().satisfies(a -> assertThat(match(a).getDestinationPortsList()).containsExactly(9090));
  }

  @Test
  void selectorPortExceptionLeavesThePodOutOfTheMeshDeny() {
    List<Authorization> out = translate(WEB, OLD, peerAuthentication("istio-system", "default", null, "STRICT"),
        peerAuthentication("apps", "web", labels("app", "web"), null, "8080", "DISABLE"));
    assertThat(out).extracting(Authorization::getName)
        .containsExactly("converted/apps/web", "converted/istio-system/default");
    assertThat(match(out.get(1)).getNotDestinationIpsList()).containsExactly(ip("10.0.0.1"));
    assertThat(match(out.get(0)).getNotDestinationPortsList()).containsExactly(8080);
  }

  @Test
  void permissiveEverywhereEmitsNothing() {
    assertThat(translate(WEB, peerAuthentication("istio-system", "default", null, "PERMISSIVE"),
        peerAuthentication("apps", "web", labels("app", "web"), "DISABLE"))).isEmpty();
  }

  @Test
  void oldestOfTwoNamespacePoliciesWinsAndTheOtherIsReported() {
    var older = peerAuthentication("apps", "a", null, "STRICT");
    older.getMetadata().setCreationTimestamp("2024-01-01T00:00:00Z");
    var newer = peerAuthentication("apps", "b", null, "PERMISSIVE");
    newer.getMetadata().setCreationTimestamp("2025-01-01T00:00:00Z");
    assertThat(translate(WEB, newer, older)).extracting(Authorization::getName).containsExactly("converted/apps/a");
    assertThat(warnings).singleElement().asString().contains("apps/a").contains("apps/b");
  }
}
