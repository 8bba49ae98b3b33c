package dev.meshctl.controlplane.bench;

import dev.meshctl.api.discovery.Resource;
import dev.meshctl.controlplane.push.Snapshot;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which proxy types a new translation changes, so the benchmark knows which ACKs end a propagation.
 *
 * <p>Node snapshots share their big resource maps, so each distinct pair of maps is compared once.
 */
final class SnapshotDiff {
  private SnapshotDiff() {}

  /** Returns {@link PushProbe#key} -> new snapshot version for every proxy type whose resources changed. */
  static Map<String, String> expectedAcks(Map<String, Snapshot> before, Map<String, Snapshot> after) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Map<Map<String, Resource>, Map<Map<String, Resource>, Boolean>> compared = new IdentityHashMap<>();
    Map<String, String> expected = new HashMap<>();
    after.forEach((proxyKey, next) -> {
      Snapshot previous = before.getOrDefault(proxyKey, Snapshot.empty());
      if (previous.version().equals(next.version())) {
        return;
      }
      for (String type : next.typeUrls()) {
        Map<String, Resource> a = previous.resources(type);
        Map<String, Resource> b = next.resources(type);
        boolean changed = compared.computeIfAbsent(a, k -> new IdentityHashMap<>())
            .computeIfAbsent(b, k -> !sameVersions(a, b));
        if (changed || !previous.typeUrls().contains(type)) {
          expected.put(PushProbe.key(proxyKey, type), next.version());
        }
      }
    });
    return expected;
  }

  private static boolean sameVersions(Map<String, Resource> a, Map<String, Resource> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Resource> e : a.entrySet()) {
      Resource other = b.get(e.getKey());
      if (other == null || !other.getVersion().equals(e.getValue().getVersion())) {
        return false;
      }
    }
    return true;
  }
}
