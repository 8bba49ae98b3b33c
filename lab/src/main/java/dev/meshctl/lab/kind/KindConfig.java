package dev.meshctl.lab.kind;

/** Renders kind's cluster config: one control-plane node and {@code nodes - 1} workers. */
public final class KindConfig {
  private KindConfig() {}

  /** Returns the kind config YAML for a cluster of {@code nodes} nodes. */
  public static String render(int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("a kind cluster needs at least one node, got " + nodes);
    }
    StringBuilder yaml = new StringBuilder("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n"
        + "- role: control-plane\n");
    for (int i = 1; i < nodes; i++) {
      yaml.append("- role: worker\n");
    }
    return yaml.toString();
  }

  /** Returns kind's cluster name for lab {@code lab}. */
  public static String clusterName(String lab) {
    return "meshctl-" + lab;
  }

  /** Returns the kubeconfig context kind writes for lab {@code lab}. */
  public static String context(String lab) {
    return "kind-" + clusterName(lab);
  }
}
