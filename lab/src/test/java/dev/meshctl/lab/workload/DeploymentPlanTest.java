package dev.meshctl.lab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeploymentPlanTest {
  private final PodFactory factory = new PodFactory(new Random(1));

  private static Deployment deployment(int replicas, String version) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("reviews-v1").withNamespace("default").withUid("u1").endMetadata()
        .withNewSpec().withReplicas(replicas)
          .withNewSelector().addToMatchLabels("app", "reviews").endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", "reviews").addToLabels("version", version).endMetadata()
            .withNewSpec().withServiceAccountName("bookinfo-reviews")
              .addNewContainer().withName("reviews").withImage("meshctl/sample-app:0.1.0").endContainer()
            .endSpec()
          .endTemplate()
        .endSpec().build();
  }

  private List<Pod> pods(Deployment d, int n) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Pod p = factory.newPod(d, "node-1");
      p.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(LabAnnotations.POD_ID, "" + (i + 1))));
      pods.add(p);
    }
    return pods;
  }

  @Test
  void newPodsCarryKubernetesShapedNamesLabelsAndOwner() {
    Pod pod = factory.newPod(deployment(1, "v1"), "node-2");

    assertThat(pod.getMetadata().getName()).matches("reviews-v1-[a-z0-9]{10}-[a-z0-9]{5}");
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "reviews").containsKey("pod-template-hash");
    assertThat(pod.getSpec().getNodeName()).isEqualTo("node-2");
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("bookinfo-reviews");
    assertThat(DeploymentPlan.ownedBy(pod, "reviews-v1")).isTrue();
  }

  @Test
  void scalesUpAndDownNewestFirst() {
    Deployment d = deployment(3, "v1");
    assertThat(DeploymentPlan.of(d, List.of()).toCreate()).isEqualTo(3);
    List<Pod> five = pods(d, 5);
    DeploymentPlan down = DeploymentPlan.of(d, five);
    assertThat(down.toCreate()).isZero();
    assertThat(down.toDelete()).containsExactly(five.get(4), five.get(3));
    assertThat(DeploymentPlan.of(d, pods(d, 3)).empty()).isTrue();
  }

  @Test
  void replacesPodsOfAnOldTemplate() {
    List<Pod> old = pods(deployment(2, "v1"), 2);
    DeploymentPlan plan = DeploymentPlan.of(deployment(2, "v2"), old);

    assertThat(plan.toDelete()).containsExactlyInAnyOrderElementsOf(old);
    assertThat(plan.toCreate()).isEqualTo(2);
  }
}
