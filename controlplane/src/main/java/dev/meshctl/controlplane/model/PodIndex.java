package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds the pods of a namespace that carry given labels without scanning the whole namespace. */
final class PodIndex {
  private final Map<String, List<Pod>> byNamespace = new HashMap<>();
  // "ns\0key\0value" -> pods; a selector is answered from its rarest label.
  private final Map<String, List<Pod>> byLabel = new HashMap<>();

  /** Indexes pods; callers pass them sorted so that every answer is sorted too. */
  PodIndex(Iterable<Pod> pods) {
    for (Pod pod : pods) {
      String ns = pod.getMetadata().getNamespace();
      byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(pod);
      for (Map.Entry<String, String> label : Pods.labels(pod).entrySet()) {
        byLabel.computeIfAbsent(key(ns, label.getKey(), label.getValue()), k -> new ArrayList<>()).add(pod);
      }
    }
  }

  /** Returns the pods of {@code namespace} whose labels include {@code selector}; all of them for an empty selector. */
  List<Pod> select(String namespace, Map<String, String> selector) {
    if (selector.isEmpty()) {
      return byNamespace.getOrDefault(namespace, List.of());
    }
    List<Pod> smallest = null;
    for (Map.Entry<String, String> e : selector.entrySet()) {
      List<Pod> candidates = byLabel.getOrDefault(key(namespace, e.getKey(), e.getValue()), List.of());
      if (smallest == null || candidates.size() < smallest.size()) {
        smallest = candidates;
      }
    }
    List<Pod> out = new ArrayList<>();
    for (Pod pod : smallest) {
      if (Pods.matches(selector, Pods.labels(pod))) {
        out.add(pod);
      }
    }
    return out;
  }

  /** Returns the pods of a namespace. */
  List<Pod> inNamespace(String namespace) {
    return byNamespace.getOrDefault(namespace, List.of());
  }

  private static String key(String ns, String key, String value) {
    return ns + '\0' + key + '\0' + value;
  }
}
