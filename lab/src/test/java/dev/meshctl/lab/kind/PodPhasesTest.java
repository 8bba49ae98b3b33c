package dev.meshctl.lab.kind;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodPhasesTest {
  @Test
  void aRunningReadyPodIsRunning() {
    Pod pod = pod("Running", List.of(running(0)), List.of());
    pod.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
        .withStatus("True").build());
    assertThat(PodPhases.describe(pod)).isEqualTo("Running");
    assertThat(PodPhases.ready(pod)).isTrue();
  }

  @Test
  void showsWhatKeepsAPodFromRunning() {
    assertThat(PodPhases.describe(pod("Running", List.of(waiting("CrashLoopBackOff", 4)), List.of())))
        .isEqualTo("CrashLoopBackOff");
    assertThat(PodPhases.describe(pod("Pending", List.of(waiting("ImagePullBackOff", 0)), List.of())))
        .isEqualTo("ImagePullBackOff");
    assertThat(PodPhases.describe(pod("Pending", List.of(waiting("ContainerCreating", 0)), List.of())))
        .isEqualTo("ContainerCreating");
    assertThat(PodPhases.describe(pod("Pending", List.of(), List.of(waiting("CrashLoopBackOff", 1)))))
        .isEqualTo("Init:CrashLoopBackOff");
    assertThat(PodPhases.describe(pod("Pending", List.of(), List.of()))).isEqualTo("Pending");
    assertThat(PodPhases.ready(pod("Pending", List.of(), List.of()))).isFalse();
  }

  @Test
  void showsTerminatingEvictedCompletedAndUnknown() {
    Pod deleting = pod("Running", List.of(running(0)), List.of());
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(PodPhases.describe(deleting)).isEqualTo("Terminating");
    Pod evicted = pod("Failed", List.of(), List.of());
    evicted.getStatus().setReason("Evicted");
    assertThat(PodPhases.describe(evicted)).isEqualTo("Evicted");
    assertThat(PodPhases.describe(pod("Succeeded", List.of(), List.of()))).isEqualTo("Completed");
    assertThat(PodPhases.describe(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()))
        .isEqualTo("Unknown");
  }

  @Test
  void sumsRestarts() {
    assertThat(PodPhases.restarts(pod("Running", List.of(running(2), waiting("CrashLoopBackOff", 3)), List.of())))
        .isEqualTo(5);
    assertThat(PodPhases.restarts(new Pod())).isZero();
  }

  private static Pod pod(String phase, List<ContainerStatus> containers, List<ContainerStatus> init) {
    return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
        .withNewStatus().withPhase(phase).withContainerStatuses(containers).withInitContainerStatuses(init)
        .withConditions(new java.util.ArrayList<>()).endStatus().build();
  }

  private static ContainerStatus running(int restarts) {
    return new ContainerStatusBuilder().withName("c").withRestartCount(restarts).withNewState().withNewRunning()
        .endRunning().endState().build();
  }

  private static ContainerStatus waiting(String reason, int restarts) {
    return new ContainerStatusBuilder().withName("c").withRestartCount(restarts).withNewState().withNewWaiting()
        .withReason(reason).endWaiting().endState().build();
  }
}
