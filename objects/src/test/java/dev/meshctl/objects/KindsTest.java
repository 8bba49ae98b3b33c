package dev.meshctl.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class KindsTest {
  @Test
  void mapsApiVersionAndKindToClassAndPlural() {
    assertThat(Kinds.require("apps/v1", "Deployment").type()).isEqualTo(Deployment.class);
    assertThat(Kinds.require("security.istio.io/v1beta1", "AuthorizationPolicy").plural())
        .isEqualTo("authorizationpolicies");
    assertThat(Kinds.of(AuthorizationPolicy.class).apiVersion()).isEqualTo("security.istio.io/v1");
    assertThat(Kinds.all()).extracting(Kind::plural).containsExactly("namespaces", "serviceaccounts", "services",
        "pods", "deployments", "authorizationpolicies", "peerauthentications", "gateways", "httproutes");
  }

  @Test
  void refusesUnknownKindsListingSupportedOnes() {
    assertThatThrownBy(() -> Kinds.require("v1", "ConfigMap")).hasMessageContaining("\"ConfigMap\"")
        .hasMessageContaining("v1 Namespace");
    assertThatThrownBy(() -> Kinds.require("apps/v1beta1", "Deployment")).hasMessageContaining("use apps/v1");
    assertThatThrownBy(() -> Kinds.of(ConfigMap.class)).hasMessageContaining("not a supported kind");
  }

  @Test
  void describesObjectsForMessages() {
    assertThat(Kinds.describe(new DeploymentBuilder().withNewMetadata().withName("a").endMetadata().build()))
        .isEqualTo("Deployment default/a");
    assertThat(Kinds.describe(new NamespaceBuilder().withNewMetadata().withName("n").endMetadata().build()))
        .isEqualTo("Namespace n");
    assertThat(Kinds.describe(new AuthorizationPolicy())).isEqualTo("AuthorizationPolicy default/(no name)");
  }
}
