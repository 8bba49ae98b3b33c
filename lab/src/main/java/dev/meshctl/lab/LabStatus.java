package dev.meshctl.lab;

import java.util.List;

/** Reports the health of a lab: its nodes and its pods. */
public record LabStatus(String name, String provider, List<NodeStatus> nodes, List<PodStatus> pods) {

  /** Reports one node. */
  public record NodeStatus(NodeInfo node, boolean ready, String problem) {}

  /** Tells whether every node is ready and every pod is running and ready. */
  public boolean healthy() {
    return nodes.stream().allMatch(NodeStatus::ready)
        && pods.stream().allMatch(p -> p.ready() && "Running".equals(p.phase()));
  }
}
