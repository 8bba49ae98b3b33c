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
  void publishesTheRootCertificateInEachWaypointNamespace() {
    WaypointDeployer deployer = new WaypointDeployer(client, "meshctl/meshctl:0.1.0", "istio-system")
        .withRootCert("ROOT-PEM");
    assertThat(deployer.reconcile(List.of(gateway("waypoint", "istio-waypoint")))).isNotEmpty();
    var map = client.configMaps().inNamespace("shop").withName(KubeNames.ROOT_CERT_CONFIG_MAP).get();
    assertThat(map).as("the waypoint in shop mounts the root from its own namespace").isNotNull();
    assertThat(map.getData()).containsEntry(KubeNames.ROOT_CERT_KEY, "ROOT-PEM");

    new WaypointDeployer(client, "meshctl/meshctl:0.1.0", "istio-system").withRootCert("NEW-ROOT")
        .reconcile(List.of(gateway("waypoint", "istio-waypoint")));
    assertThat(client.configMaps().inNamespace("shop").withName(KubeNames.ROOT_CERT_CONFIG_MAP).get().getData())
        .containsEntry(KubeNames.ROOT_CERT_KEY, "NEW-ROOT");
  }

  @Test
  void updatesTheWaypointWhenTheImageOrTheGatewayChanges() {
    Gateway g = gateway("waypoint", "istio-waypoint");
    g.getMetadata().setUid("uid-1");
    assertThat(new WaypointDeployer(client, "meshctl/meshctl:0.1.0", "istio-system").reconcile(List.of(g)))
        .containsExactly("waypoint shop/waypoint created");

    WaypointDeployer upgraded = new WaypointDeployer(client, "meshctl/meshctl:0.2.0", "istio-system");
    assertThat(upgraded.reconcile(List.of(g))).containsExactly("waypoint shop/waypoint updated");
    Deployment d = client.apps().deployments().inNamespace("shop").withName("waypoint").get();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("meshctl/meshctl:0.2.0");
    assertThat(upgraded.reconcile(List.of(g))).as("nothing changed since").isEmpty();

    // The Gateway was deleted and created again: the owner reference must follow its new uid.
    g.getMetadata().setUid("uid-2");
    assertThat(upgraded.reconcile(List.of(g))).containsExactly("waypoint shop/waypoint updated");
    for (HasMetadata part : List.<HasMetadata>of(
        client.apps().deployments().inNamespace("shop").withName("waypoint").get(),
        client.services().inNamespace("shop").withName("waypoint").get(),
        client.serviceAccounts().inNamespace("shop").withName("waypoint").get())) {
      assertThat(part.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
        assertThat(r.getUid()).isEqualTo("uid-2");
        assertThat(r.getKind()).isEqualTo("Gateway");
        assertThat(r.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
      });
    }
  }

  @Test
  void leavesADeploymentMeshctlDidNotCreateAlone() {
    client.apps().deployments().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.apps
        .DeploymentBuilder().withNewMetadata().withNamespace("shop").withName("waypoint").endMetadata().withNewSpec()
        .withReplicas(3).endSpec().build()).create();
    WaypointDeployer deployer = new WaypointDeployer(client, "meshctl/meshctl:0.1.0", "istio-system");
    assertThat(deployer.reconcile(List.of(gateway("waypoint", "istio-waypoint")))).isEmpty();
    assertThat(client.apps().deployments().inNamespace("shop").withName("waypoint").get().getSpec().getReplicas())
        .isEqualTo(3);
    assertThat(deployer.reconcile(List.of())).as("not ours, so never an orphan to delete").isEmpty();
  }

  @Test
  void decidesFromTheLiveDeploymentAndTheRenderedDigest() {
    assertThat(WaypointDeployer.decide(null, "d1")).isEqualTo(WaypointDeployer.Action.CREATE);
    var ours = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata()
        .addToLabels(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE)
        .addToAnnotations(WaypointManifests.RENDERED, "d1").endMetadata().build();
    assertThat(WaypointDeployer.decide(ours, "d1")).isEqualTo(WaypointDeployer.Action.KEEP);
    assertThat(WaypointDeployer.decide(ours, "d2")).isEqualTo(WaypointDeployer.Action.UPDATE);
    ours.getMetadata().setAnnotations(null);
    assertThat(WaypointDeployer.decide(ours, "d1")).as("made by an older meshctl").isEqualTo(
        WaypointDeployer.Action.UPDATE);
    assertThat(WaypointDeployer.decide(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
        .withNewMetadata().endMetadata().build(), "d1")).isEqualTo(WaypointDeployer.Action.FOREIGN);
  }

  @Test
  void theDigestChangesWithWhatIsRenderedOnly() {
    Gateway g = gateway("waypoint", "istio-waypoint");
    String digest = WaypointManifests.forGateway(g, "img:1", "istio-system").get(1).getMetadata().getAnnotations()
        .get(WaypointManifests.RENDERED);
    assertThat(WaypointManifests.forGateway(g, "img:1", "istio-system").get(1).getMetadata().getAnnotations())
        .containsEntry(WaypointManifests.RENDERED, digest);
    assertThat(WaypointManifests.forGateway(g, "img:2", "istio-system").get(1).getMetadata().getAnnotations()
        .get(WaypointManifests.RENDERED)).isNotEqualTo(digest);
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
