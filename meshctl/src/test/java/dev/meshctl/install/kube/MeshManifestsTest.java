package dev.meshctl.install.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshManifestsTest {
  private static final KubeInstallOptions OPTIONS = KubeInstallOptions.of("meshctl/meshctl:0.1.0");

  @Test
  void rendersEveryKindInApplyOrderAndReadsBackFromYaml() {
    List<HasMetadata> parsed = ManifestYaml.read(ManifestYaml.write(MeshManifests.render(OPTIONS)));

    assertThat(parsed).extracting(o -> o.getClass().getSimpleName()).containsExactly(
        "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition",
        "CustomResourceDefinition", "Namespace", "ServiceAccount", "ServiceAccount", "ClusterRole",
        "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service", "DaemonSet");
    assertThat(parsed).filteredOn(CustomResourceDefinition.class::isInstance).extracting(o -> o.getMetadata().getName())
        .containsExactly("authorizationpolicies.security.istio.io", "peerauthentications.security.istio.io",
            "gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io");
    assertThat(only(parsed, Namespace.class).getMetadata().getName()).isEqualTo("istio-system");
    assertThat(parsed).filteredOn(ServiceAccount.class::isInstance).extracting(o -> o.getMetadata().getName())
        .containsExactly("meshctl-control-plane", "meshctl-node-agent");
  }

  @Test
  void crdsHaveStructuralSchemasThatKeepUnknownFields() {
    CustomResourceDefinition crd = CrdManifests.all().get(0);
    assertThat(crd.getSpec().getVersions()).extracting(v -> v.getName()).containsExactly("v1", "v1beta1");
    assertThat(crd.getSpec().getVersions()).filteredOn(v -> v.getStorage()).hasSize(1);
    var spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getXKubernetesPreserveUnknownFields()).isTrue();
  }

  @Test
  void controlPlaneRunsTheImageOnPort15012WithTheRbacItNeeds() {
    List<HasMetadata> objects = ManifestYaml.read(ManifestYaml.write(MeshManifests.render(OPTIONS)));
    Deployment cp = only(objects, Deployment.class);
    var container = cp.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("meshctl/meshctl:0.1.0");
    assertThat(container.getArgs()).containsSequence("component", "control-plane", "--source", "kubernetes");
    assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(15012);
    assertThat(cp.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("meshctl-control-plane");
    assertThat(only(objects, Service.class).getSpec().getPorts().get(0).getPort()).isEqualTo(15012);

    ClusterRole role = only(objects, ClusterRole.class);
    assertThat(role.getRules()).anySatisfy(r -> {
      assertThat(r.getResources()).contains("tokenreviews");
      assertThat(r.getVerbs()).containsExactly("create");
    });
    assertThat(role.getRules()).anySatisfy(r -> {
      assertThat(r.getResources()).contains("pods", "namespaces", "services");
      assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
    });
    assertThat(role.getRules()).anySatisfy(r -> assertThat(r.getResources())
        .contains("authorizationpolicies", "peerauthentications"));
    assertThat(only(objects, ClusterRoleBinding.class).getSubjects().get(0).getNamespace()).isEqualTo("istio-system");
  }

  @Test
  void nodeAgentIsAHostNetworkDaemonSetWithNetworkCapabilitiesProbeAndToken() {
    DaemonSet ds = only(ManifestYaml.read(ManifestYaml.write(MeshManifests.render(OPTIONS))), DaemonSet.class);
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getServiceAccountName()).isEqualTo("meshctl-node-agent");
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("meshctl/meshctl:0.1.0");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(15021);
    assertThat(c.getArgs()).containsSequence("--control-plane", "meshctl-control-plane.istio-system.svc:15012")
        .containsSequence("--token-file", "/var/run/secrets/meshctl/token");
    assertThat(c.getEnv()).extracting(e -> e.getName()).contains("NODE_NAME", "NODE_IP");
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      var token = v.getProjected().getSources().get(0).getServiceAccountToken();
      assertThat(token.getAudience()).isEqualTo("meshctl");
    });
  }

  @Test
  void refusesImagesWithoutAVersionTag() {
    assertThatIllegalArgumentException().isThrownBy(() -> KubeInstallOptions.of("meshctl/meshctl:latest"))
        .withMessageContaining("version tag");
    assertThatIllegalArgumentException().isThrownBy(() -> KubeInstallOptions.of("localhost:5000/meshctl"));
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}
