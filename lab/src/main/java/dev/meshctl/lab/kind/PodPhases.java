package dev.meshctl.lab.kind;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Objects;

/**
 * Says what a pod is doing as kubectl's STATUS column does: Terminating, Init:REASON, a container's waiting or
 * terminated reason (CrashLoopBackOff, ImagePullBackOff, ContainerCreating, Error), the pod's reason (Evicted), else
 * its phase.
 */
public final class PodPhases {
  private PodPhases() {}

  /** Returns the status word for {@code pod}. */
  public static String describe(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    if (pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
      return "Terminating";
    }
    PodStatus s = pod.getStatus();
    if (s == null || s.getPhase() == null) {
      return "Unknown";
    }
    if (s.getReason() != null && !s.getReason().isEmpty()) {
      return s.getReason();
    }
    for (ContainerStatus c : list(s.getInitContainerStatuses())) {
      String reason = reason(c);
      if (!reason.isEmpty() && !"Completed".equals(reason)) {
        return "Init:" + reason;
      }
    }
    if ("Succeeded".equals(s.getPhase())) {
      return "Completed";
    }
    for (ContainerStatus c : list(s.getContainerStatuses())) {
      String reason = reason(c);
      if (!reason.isEmpty()) {
        return reason;
      }
    }
    return s.getPhase();
  }

  /** Returns whether the pod's Ready condition is True. */
  public static boolean ready(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Returns the sum of the containers' restart counts. */
  public static int restarts(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    return pod.getStatus() == null ? 0 : list(pod.getStatus().getContainerStatuses()).stream()
        .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
  }

  private static String reason(ContainerStatus c) {
    if (c.getState() == null) {
      return "";
    }
    if (c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null) {
      return c.getState().getWaiting().getReason();
    }
    if (c.getState().getTerminated() != null) {
      String r = c.getState().getTerminated().getReason();
      return r == null || r.isEmpty() ? "Terminated" : r;
    }
    return "";
  }

  private static <T> List<T> list(List<T> items) {
    return items == null ? List.of() : items;
  }
}
