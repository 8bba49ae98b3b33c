package dev.meshctl.lab.kind;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubeApplyTest {
  KubernetesClient client;

  @Test
  void createsThenLeavesAloneThenConfigures() {
    assertThat(KubeApply.apply(client, service(80))).isEqualTo(KubeApply.Result.CREATED);
    assertThat(KubeApply.apply(client, service(80))).isEqualTo(KubeApply.Result.UNCHANGED);
    assertThat(KubeApply.apply(client, service(8080))).isEqualTo(KubeApply.Result.CONFIGURED);
    assertThat(client.services().inNamespace("shop").withName("web").get().getSpec().getPorts().get(0).getPort())
        .isEqualTo(8080);
    assertThat(KubeApply.line(service(80))).isEqualTo("service/web");
    assertThat(KubeApply.Result.CONFIGURED.word()).isEqualTo("configured");
  }

  @Test
  void fieldsTheServerAddsDoNotCountAsChanges() {
    Map<String, Object> live = Map.of("metadata", Map.of("name", "web", "resourceVersion", "7", "uid", "u"),
        "spec", Map.of("clusterIP", "10.96.0.9", "ports", List.of(Map.of("port", 80, "protocol", "TCP"))));
    Map<String, Object> desired = Map.of("metadata", Map.of("name", "web", "resourceVersion", "3"),
        "spec", Map.of("ports", List.of(Map.of("port", 80L))));
    assertThat(KubeApply.contains(live, desired)).isTrue();
    assertThat(KubeApply.contains(live, Map.of("spec", Map.of("ports", List.of())))).as("a list shrinks").isFalse();
    assertThat(KubeApply.contains(live, Map.of("spec", Map.of("type", "NodePort")))).isFalse();
    assertThat(KubeApply.contains(live, Map.of("spec", "scalar"))).isFalse();
  }

  private static Service service(int port) {
    return new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata().withNewSpec()
        .withSelector(Map.of("app", "web")).addNewPort().withName("http").withPort(port).endPort().endSpec().build();
  }
}
