package dev.meshctl.install.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.controlplane.kube.KubeNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesInstallerTest {
  private static final KubeInstallOptions OPTIONS = KubeInstallOptions.of("meshctl/meshctl:0.1.0");
  KubernetesClient client;

  @Test
  void installsIdempotentlyAndKeepsCrdsThatWereAlreadyThere() {
    CustomResourceDefinition foreign = CrdManifests.all().get(2);
    foreign.getMetadata().setLabels(null);
    client.apiextensions().v1().customResourceDefinitions().resource(foreign).create();
    KubernetesInstaller installer = new KubernetesInstaller(client);

    List<String> first = installer.install(OPTIONS, Optional.empty(), line -> {});
    assertThat(first).contains("customresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io"
        + " unchanged (already installed)", "daemonset.apps/meshctl-node-agent created",
        "deployment.apps/meshctl-control-plane created");
    assertThat(client.apps().daemonSets().inNamespace("istio-system").withName(KubeNames.NODE_AGENT).get())
        .isNotNull();

    List<String> second = installer.install(OPTIONS, Optional.empty(), line -> {});
    assertThat(second).contains("deployment.apps/meshctl-control-plane unchanged", "namespace/istio-system unchanged");
    assertThat(installer.install(new KubeInstallOptions("istio-system", "meshctl/meshctl:0.2.0", "cluster.local",
        java.util.Optional.empty()), Optional.empty(), line -> {}))
        .contains("deployment.apps/meshctl-control-plane configured", "daemonset.apps/meshctl-node-agent configured",
            "service/meshctl-control-plane unchanged");
    assertThat(client.apps().deployments().inNamespace("istio-system").withName(KubeNames.CONTROL_PLANE).get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("meshctl/meshctl:0.2.0");

    List<String> removed = new ArrayList<>();
    installer.uninstall(OPTIONS, removed::add);
    assertThat(removed).contains("daemonset.apps/meshctl-node-agent deleted", "namespace/istio-system deleted",
        "customresourcedefinition.apiextensions.k8s.io/authorizationpolicies.security.istio.io deleted");
    assertThat(client.apps().deployments().inNamespace("istio-system").withName(KubeNames.CONTROL_PLANE).get())
        .isNull();
    assertThat(client.apiextensions().v1().customResourceDefinitions()
        .withName("gateways.gateway.networking.k8s.io").get()).as("a CRD install did not create stays").isNotNull();
  }

  @Test
  void uninstallRemovesWaypointsAndToleratesAnEmptyCluster() {
    var gateway = new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder().withNewMetadata()
        .withNamespace("shop").withName("waypoint").endMetadata().withNewSpec().withGatewayClassName("istio-waypoint")
        .endSpec().build();
    new dev.meshctl.controlplane.kube.WaypointDeployer(client, OPTIONS.image(), "istio-system")
        .reconcile(List.of(gateway));

    List<String> removed = new KubernetesInstaller(client).uninstall(OPTIONS, line -> {});
    assertThat(removed).contains("deployment.apps/waypoint deleted", "service/waypoint deleted",
        "namespace/istio-system not found");
    assertThat(client.apps().deployments().inNamespace("shop").withName("waypoint").get()).isNull();
  }

  @Test
  void daemonSetIsReadyOnlyWhenEveryScheduledPodIsReady() {
    assertThat(KubernetesInstaller.MeshManifestsReady.daemonSetReady(null)).isFalse();
    assertThat(KubernetesInstaller.MeshManifestsReady.daemonSetReady(ds(3, 2))).isFalse();
    assertThat(KubernetesInstaller.MeshManifestsReady.daemonSetReady(ds(0, 0))).isFalse();
    assertThat(KubernetesInstaller.MeshManifestsReady.daemonSetReady(ds(3, 3))).isTrue();
  }

  private static DaemonSet ds(int desired, int ready) {
    return new DaemonSetBuilder().withNewStatus().withDesiredNumberScheduled(desired).withNumberReady(ready)
        .endStatus().build();
  }
}
