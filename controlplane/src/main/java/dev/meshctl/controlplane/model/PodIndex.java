package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the pods of a namespace that carry given labels without scanning the whole namespace.
 *
 * <p>Immutable; {@link #with(Collection)} returns a new index that shares every list a change does not touch.
 */
final class PodIndex {
  static final PodIndex EMPTY = new PodIndex(HashShards.empty(), HashShards.empty());

  private final HashShards<List<Pod>> byNamespace;
  // "ns\0key\0value" -> pods; a selector is answered from its rarest label.
  private final HashShards<List<Pod>> byLabel;

  private PodIndex(HashShards<List<Pod>> byNamespace, HashShards<List<Pod>> byLabel) {
    this.byNamespace = byNamespace;
    this.byLabel = byLabel;
  }

  /** Indexes pods; callers pass them sorted so that every answer is sorted too. */
  static PodIndex of(Iterable<Pod> pods) {
    Map<String, List<Pod>> byNamespace = new HashMap<>();
    Map<String, List<Pod>> byLabel = new HashMap<>();
    for (Pod pod : pods) {
      String ns = pod.getMetadata().getNamespace();
      byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(pod);
      for (Map.Entry<String, String> label : Pods.labels(pod).entrySet()) {
        byLabel.computeIfAbsent(key(ns, label.getKey(), label.getValue()), k -> new ArrayList<>()).add(pod);
      }
    }
    byNamespace.replaceAll((k, v) -> Collections.unmodifiableList(v));
    byLabel.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return new PodIndex(HashShards.of(byNamespace), HashShards.of(byLabel));
  }

  /** Returns an index with pods added, replaced and removed. */
  PodIndex with(Collection<Change<Pod>> changes) {
    if (changes.isEmpty()) {
      return this;
    }
    SortedLists<Pod> namespaces = new SortedLists<>(byNamespace);
    SortedLists<Pod> labels = new SortedLists<>(byLabel);
    for (Change<Pod> c : changes) {
      if (c.before() != null) {
        String ns = c.before().getMetadata().getNamespace();
        namespaces.remove(ns, c.key());
        Pods.labels(c.before()).forEach((k, v) -> labels.remove(key(ns, k, v), c.key()));
      }
      if (c.after() != null) {
        String ns = c.after().getMetadata().getNamespace();
        namespaces.put(ns, c.after());
        Pods.labels(c.after()).forEach((k, v) -> labels.put(key(ns, k, v), c.after()));
      }
    }
    return new PodIndex(byNamespace.with(namespaces.changes()), byLabel.with(labels.changes()));
  }

  /** Returns the pods of {@code namespace} whose labels include {@code selector}; all of them for an empty selector. */
  List<Pod> select(String namespace, Map<String, String> selector) {
    if (selector.isEmpty()) {
      return inNamespace(namespace);
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
