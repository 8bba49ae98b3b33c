package dev.meshctl.lab.kind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.LabStatus;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Outcome;
import dev.meshctl.lab.PodStatus;
import dev.meshctl.lab.Progress;
import dev.meshctl.objects.ParsedObject;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a kind lab's API calls against fabric8's mock API server, so no Docker is needed. */
@EnableKubernetesMockClient(crud = true)
class KindClusterTest {
  KubernetesClient client;

  @TempDir
  Path dir;

  private KindCluster cluster() {
    return new KindCluster("t", dir, client, List.of(new NodeInfo("meshctl-t-control-plane", 1, "", "", ""),
        new NodeInfo("meshctl-t-worker", 2, "", "", "")));
  }

  @Test
  void readsNodeAddressesAndPodCidrsFromTheNodeObjects() {
    KindCluster cluster = cluster();
    assertThat(cluster.nodes()).as("no Node objects yet: names only").extracting(NodeInfo::ip)
        .containsExactly("", "");
    client.nodes().resource(node("meshctl-t-control-plane", "172.18.0.2", "10.244.0.0/24", true)).create();
    client.nodes().resource(node("meshctl-t-worker", "172.18.0.3", "10.244.1.0/24", false)).create();

    assertThat(cluster.nodes()).containsExactly(
        new NodeInfo("meshctl-t-control-plane", 1, "172.18.0.2", "10.244.0.0/24", ""),
        new NodeInfo("meshctl-t-worker", 2, "172.18.0.3", "10.244.1.0/24", ""));
    LabStatus status = cluster.status();
    assertThat(status.nodes()).extracting(LabStatus.NodeStatus::ready).containsExactly(true, false);
    assertThat(status.nodes().get(1).problem()).contains("meshctl-t-worker is not Ready");
  }

  @Test
  void appliesObjectByObjectSayingCreatedUnchangedOrConfigured() {
    KindCluster cluster = cluster();
    ConfigMap map = configMap("v1");
    Outcome first = cluster.apply(List.of(parsed(map)), Progress.NONE);
    assertThat(first.done()).containsExactly("configmap/settings created");

    assertThat(cluster.apply(List.of(parsed(configMap("v1"))), Progress.NONE).done())
        .containsExactly("configmap/settings unchanged");
    assertThat(cluster.apply(List.of(parsed(configMap("v2"))), Progress.NONE).done())
        .containsExactly("configmap/settings configured");
    assertThat(client.configMaps().inNamespace("shop").withName("settings").get().getData())
        .containsEntry("mode", "v2");

    Outcome deleted = cluster.delete(List.of(parsed(configMap("v2")), parsed(configMap("v2"))), Progress.NONE);
    assertThat(deleted.done()).containsExactly("configmap/settings deleted");
    assertThat(deleted.failed()).singleElement().satisfies(f -> assertThat(f).contains("not found"));
  }

  @Test
  void statusShowsRealPodPhasesAndSkipsSystemNamespaces() {
    client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withNamespace("shop")
        .withName("web").endMetadata().withNewSpec().withNodeName("meshctl-t-worker").endSpec().withNewStatus()
        .withPhase("Running").withPodIP("10.244.1.5").addNewContainerStatus().withName("web").withRestartCount(3)
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().endContainerStatus()
        .endStatus().build()).create();
    client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withNamespace("kube-system")
        .withName("coredns").endMetadata().build()).create();

    List<PodStatus> pods = cluster().status().pods();
    assertThat(pods).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("web");
      assertThat(p.phase()).isEqualTo("CrashLoopBackOff");
      assertThat(p.ready()).isFalse();
      assertThat(p.ip()).isEqualTo("10.244.1.5");
      assertThat(p.node()).isEqualTo("meshctl-t-worker");
    });
    assertThat(cluster().status().healthy()).isFalse();
  }

  private static ParsedObject parsed(ConfigMap map) {
    return new ParsedObject("test.yaml", 1, map);
  }

  private static ConfigMap configMap(String mode) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace("shop").withName("settings").endMetadata()
        .addToData("mode", mode).build();
  }

  private static Node node(String name, String ip, String cidr, boolean ready) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withPodCIDR(cidr).endSpec()
        .withNewStatus().addNewAddress().withType("Hostname").withAddress(name).endAddress()
        .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
  }
}
