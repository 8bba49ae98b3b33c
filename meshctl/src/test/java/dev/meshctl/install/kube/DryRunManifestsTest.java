package dev.meshctl.install.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.controlplane.kube.KubeNames;
import dev.meshctl.lab.images.MeshImages;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses every object `meshctl install --dry-run -o yaml` prints back with fabric8's model classes. */
class DryRunManifestsTest {
  private final List<HasMetadata> objects = ManifestYaml.read(KubeInstallFlow.render());

  @Test
  void everyObjectHasAKnownKindAndAName() {
    assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
        "CustomResourceDefinition/authorizationpolicies.security.istio.io",
        "CustomResourceDefinition/peerauthentications.security.istio.io",
        "CustomResourceDefinition/gateways.gateway.networking.k8s.io",
        "CustomResourceDefinition/httproutes.gateway.networking.k8s.io",
        "Namespace/istio-system",
        "ServiceAccount/meshctl-control-plane", "ServiceAccount/meshctl-node-agent",
        "ClusterRole/meshctl-control-plane", "ClusterRoleBinding/meshctl-control-plane",
        "Role/meshctl-control-plane-ca", "RoleBinding/meshctl-control-plane-ca",
        "Deployment/meshctl-control-plane", "Service/meshctl-control-plane", "DaemonSet/meshctl-node-agent");
    assertThat(objects).allSatisfy(o -> assertThat(o.getApiVersion()).isNotBlank());
    assertThat(objects).filteredOn(o -> !List.of("CustomResourceDefinition", "Namespace", "ClusterRole",
        "ClusterRoleBinding").contains(o.getKind())).allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
        .isEqualTo("istio-system"));
    assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
        .containsEntry(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE));
  }

  @Test
  void carriesNoKeyMaterial() {
    assertThat(objects).noneMatch(Secret.class::isInstance);
    assertThat(KubeInstallFlow.render()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void everyContainerRunsThisBuildsImageWithAProbeAndALockedDownSecurityContext() {
    List<Container> containers = pods().stream().flatMap(p -> p.getContainers().stream()).toList();
    assertThat(containers).hasSize(2).allSatisfy(c -> {
      assertThat(c.getImage()).isEqualTo(MeshImages.image()).doesNotEndWith(":latest");
      assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
      assertThat(c.getReadinessProbe()).isNotNull();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    });
    Container cp = only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(cp.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(cp.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(cp.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo(KubeNames.IMAGE_ENV);
      assertThat(e.getValue()).isEqualTo(MeshImages.image());
    });
  }

  @Test
  void onlyTheNodeAgentUsesTheHostNetwork() {
    assertThat(only(DaemonSet.class).getSpec().getTemplate().getSpec().getHostNetwork()).isTrue();
    assertThat(only(DaemonSet.class).getSpec().getTemplate().getSpec().getDnsPolicy())
        .isEqualTo("ClusterFirstWithHostNet");
    assertThat(only(Deployment.class).getSpec().getTemplate().getSpec().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void theControlPlaneKeepsItsCaInSecretsItMayReadAndCreate() {
    Container cp = only(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(cp.getArgs()).containsSequence("--ca-secret", KubeNames.CA_SECRET);
    Role role = only(Role.class);
    assertThat(role.getRules()).anySatisfy(r -> {
      assertThat(r.getResources()).containsExactly("secrets");
      assertThat(r.getResourceNames()).containsExactlyInAnyOrder(KubeNames.CA_SECRET, KubeNames.PLUGIN_CA_SECRET);
      assertThat(r.getVerbs()).containsExactly("get");
    });
    assertThat(role.getRules()).anySatisfy(r -> {
      assertThat(r.getResources()).containsExactly("secrets");
      assertThat(r.getVerbs()).containsExactly("create");
    });
    assertThat(role.getRules()).noneMatch(r -> r.getVerbs().contains("update") || r.getVerbs().contains("delete")
        || r.getVerbs().contains("list"));
    RoleBinding binding = only(RoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo(KubeNames.CONTROL_PLANE);
      assertThat(s.getNamespace()).isEqualTo("istio-system");
    });
  }

  @Test
  void volumesReferenceTheRootCertConfigMapAndAProjectedToken() {
    PodSpec agent = only(DaemonSet.class).getSpec().getTemplate().getSpec();
    assertThat(agent.getVolumes()).filteredOn(v -> v.getConfigMap() != null).singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo(KubeNames.ROOT_CERT_CONFIG_MAP));
    assertThat(agent.getVolumes()).filteredOn(v -> v.getProjected() != null).singleElement()
        .satisfies(v -> assertThat(v.getProjected().getSources().get(0).getServiceAccountToken().getAudience())
            .isEqualTo(KubeNames.TOKEN_AUDIENCE));
    assertThat(agent.getVolumes()).as("no Secret volumes: tokens are projected, the CA stays with the control plane")
        .allSatisfy(v -> assertThat(v.getSecret()).isNull());
    PodSpec cp = only(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(cp.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir())
        .as("scratch only: the CA lives in Secrets").isNotNull());
  }

  private List<PodSpec> pods() {
    return List.of(only(Deployment.class).getSpec().getTemplate().getSpec(),
        only(DaemonSet.class).getSpec().getTemplate().getSpec());
  }

  private <T> T only(Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}
