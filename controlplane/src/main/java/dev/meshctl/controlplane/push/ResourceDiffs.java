package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes what changed between two versions of one type's resources, once for all the streams that need it.
 *
 * <p>Node agents share their big resource maps (every Workload, every Service), so after a translation every
 * stream asks for the same diff; comparing the maps once instead of once per proxy keeps a push proportional to
 * the change, not to the mesh times the number of proxies. Only the last few pairs are kept.
 */
final class ResourceDiffs {

  /** What changed from one map to the next: resources added or with a new version, and names removed. */
  record Diff(List<Resource> changed, List<String> removed) {}

  private static final int KEPT = 32;

  private final Map<Pair, Diff> recent = new ConcurrentHashMap<>();

  /** Returns the diff from {@code from} to {@code to}, computing it at most once while it is recent. */
  Diff diff(Map<String, Resource> from, Map<String, Resource> to) {
    if (recent.size() >= KEPT) {
      recent.clear(); // translations are sequential: old pairs are never asked for again
    }
    return recent.computeIfAbsent(new Pair(from, to), p -> compute(from, to));
  }

  static Diff compute(Map<String, Resource> from, Map<String, Resource> to) {
    List<Resource> changed = new ArrayList<>();
    for (Map.Entry<String, Resource> e : to.entrySet()) {
      Resource before = from.get(e.getKey());
      if (before == null || !before.getVersion().equals(e.getValue().getVersion())) {
        changed.add(e.getValue());
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : from.keySet()) {
      if (!to.containsKey(name)) {
        removed.add(name);
      }
    }
    return new Diff(List.copyOf(changed), List.copyOf(removed));
  }

  /** Two maps compared by identity: snapshots never change a map they have published. */
  private record Pair(Map<String, Resource> from, Map<String, Resource> to) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Pair p && p.from == from && p.to == to;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(from) + System.identityHashCode(to);
    }
  }
}
