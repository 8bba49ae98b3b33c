package dev.meshctl.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class WaypointDeployerTest {
  KubernetesClient client;

  @Test
  void createsAWaypointForWaypointGatewaysOnlyAndRemovesOrphans() {
    WaypointDeployer deployer = new WaypointDeployer(client, "meshctl/meshctl:0.1.0", "istio-system");
    List<HasMetadata> objects = List.of(gateway("waypoint", "istio-waypoint"), gateway("ingress", "istio"));

    assertThat(deployer.reconcile(objects)).containsExactly("waypoint shop/waypoint created");
    Deployment d = client.apps().deployments().inNamespace("shop").withName("waypoint").get();
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(WaypointManifests.GATEWAY_NAME, "waypoint").containsEntry("istio.io/dataplane-mode", "none");
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("meshctl/meshctl:0.1.0");
    assertThat(container.getArgs()).containsSequence("component", "waypoint")
        .contains("meshctl-control-plane.istio-system.svc:15012");
    assertThat(client.services().inNamespace("shop").withName("waypoint").get()).isNotNull();
    assertThat(client.serviceAccounts().inNamespace("shop").withName("waypoint").get()).isNotNull();
    assertThat(client.apps().deployments().inNamespace("shop").withName("ingress").get()).isNull();

    assertThat(deployer.reconcile(objects)).isEmpty();
    assertThat(deployer.reconcile(List.of())).containsExactly("waypoint shop/waypoint deleted");
    assertThat(client.apps().deployments().inNamespace("shop").withName("waypoint").get()).isNull();
  }

  @Test
  void rendersOwnerReferencesWhenTheGatewayHasAUid() {
    Gateway g = gateway("waypoint", "meshctl-waypoint");
    g.getMetadata().setUid("uid-1");
    assertThat(WaypointManifests.forGateway(g, "img:1", "istio-system"))
        .allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(r -> assertThat(r.getUid()).isEqualTo("uid-1")));
    assertThatNullPointerException().isThrownBy(() -> WaypointManifests.forGateway(g, null, "istio-system"));
  }

  @Test
  void publishesTheRootCertificate() {
    RootCertPublisher.publish(client, "istio-system", "PEM1");
    RootCertPublisher.publish(client, "istio-system", "PEM2");
    assertThat(client.configMaps().inNamespace("istio-system").withName(KubeNames.ROOT_CERT_CONFIG_MAP).get()
        .getData()).containsEntry(KubeNames.ROOT_CERT_KEY, "PEM2");
  }

  private static Gateway gateway(String name, String gatewayClass) {
    return new GatewayBuilder().withNewMetadata().withNamespace("shop").withName(name).endMetadata()
        .withNewSpec().withGatewayClassName(gatewayClass).endSpec().build();
  }
}
