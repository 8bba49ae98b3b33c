package dev.meshctl.lab.workload;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Places a new pod on a node: first the nodes that run the fewest replicas of the same Deployment, then the least
 * loaded, then the lowest index. Deterministic, so a lab with the same objects gets the same layout.
 */
public final class Scheduler {
  private Scheduler() {}

  /**
   * Chooses a node name.
   *
   * @param nodes node names in index order
   * @param podsPerNode how many pods each node runs now
   * @param siblingsPerNode how many pods of the same Deployment each node runs now
   */
  public static String choose(List<String> nodes, Map<String, Integer> podsPerNode,
      Map<String, Integer> siblingsPerNode) {
    Objects.requireNonNull(nodes, "nodes");
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("BUG: no nodes to schedule on");
    }
    Comparator<String> order = Comparator
        .<String>comparingInt(n -> siblingsPerNode.getOrDefault(n, 0))
        .thenComparingInt(n -> podsPerNode.getOrDefault(n, 0))
        .thenComparingInt(nodes::indexOf);
    return nodes.stream().min(order).orElseThrow();
  }
}
