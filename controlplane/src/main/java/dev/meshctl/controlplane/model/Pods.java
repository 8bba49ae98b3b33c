package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads the facts translation needs from a Pod, tolerating absent fields. */
public final class Pods {
  private Pods() {}

  /** Returns the pod's IP addresses (podIPs, else podIP), possibly empty. */
  public static List<String> addresses(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    if (pod.getStatus() == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (pod.getStatus().getPodIPs() != null) {
      for (PodIP ip : pod.getStatus().getPodIPs()) {
        if (ip != null && ip.getIp() != null && !ip.getIp().isEmpty() && !out.contains(ip.getIp())) {
          out.add(ip.getIp());
        }
      }
    }
    String ip = pod.getStatus().getPodIP();
    if (ip != null && !ip.isEmpty() && !out.contains(ip)) {
      out.add(0, ip);
    }
    return List.copyOf(out);
  }

  /** Tells whether the pod has an IP address; as {@code !addresses(pod).isEmpty()}, without building the list. */
  public static boolean hasAddress(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    if (pod.getStatus() == null) {
      return false;
    }
    String ip = pod.getStatus().getPodIP();
    if (ip != null && !ip.isEmpty()) {
      return true;
    }
    if (pod.getStatus().getPodIPs() != null) {
      for (PodIP i : pod.getStatus().getPodIPs()) {
        if (i != null && i.getIp() != null && !i.getIp().isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Tells whether the pod is Running with condition Ready=True. */
  public static boolean healthy(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null && conditions.stream()
        .anyMatch(c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Returns the node the pod is scheduled on, or empty. */
  public static String node(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
  }

  /** Returns the pod's service account; Kubernetes' {@code default} when unset. */
  public static String serviceAccount(Pod pod) {
    if (pod.getSpec() != null) {
      String sa = pod.getSpec().getServiceAccountName();
      if (sa == null || sa.isEmpty()) {
        sa = pod.getSpec().getServiceAccount();
      }
      if (sa != null && !sa.isEmpty()) {
        return sa;
      }
    }
    return "default";
  }

  /** Returns an object's labels, never null. */
  public static Map<String, String> labels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  /** Returns an object's annotations, never null. */
  public static Map<String, String> annotations(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  /** Returns the owner of a given kind (e.g. {@code ReplicaSet}), if any. */
  public static Optional<OwnerReference> owner(HasMetadata object, String kind) {
    List<OwnerReference> owners = object.getMetadata() == null ? null : object.getMetadata().getOwnerReferences();
    if (owners == null) {
      return Optional.empty();
    }
    // A loop, not a stream: translation asks this of every pod.
    for (OwnerReference o : owners) {
      if (o != null && kind.equals(o.getKind()) && o.getName() != null) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /** Tells whether every entry of {@code selector} is among {@code labels}; an empty selector matches all. */
  public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }
}
