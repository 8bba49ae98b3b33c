package dev.meshctl.lab.kind;

import dev.meshctl.lab.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Describes kind nodes from their Node objects: the InternalIP of {@code status.addresses} and {@code spec.podCIDR}. */
public final class KindNodes {
  private KindNodes() {}

  /**
   * Returns one {@link NodeInfo} per name of {@code names}, in order and numbered from 1; a name with no Node object
   * (not registered yet) keeps an empty address and CIDR.
   */
  public static List<NodeInfo> describe(List<String> names, List<Node> nodes) {
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(nodes, "nodes");
    Map<String, Node> byName = nodes.stream().filter(n -> n.getMetadata() != null)
        .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity(), (a, b) -> a));
    List<NodeInfo> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Node node = byName.get(names.get(i));
      out.add(new NodeInfo(names.get(i), i + 1, node == null ? "" : internalIp(node),
          node == null ? "" : podCidr(node), ""));
    }
    return out;
  }

  /** Returns the node's InternalIP, or "" when it reports none. */
  static String internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return "";
    }
    return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress).filter(Objects::nonNull).findFirst().orElse("");
  }

  /** Returns the node's (first) pod CIDR, or "" before the controller manager assigned one. */
  static String podCidr(Node node) {
    if (node.getSpec() == null) {
      return "";
    }
    if (node.getSpec().getPodCIDR() != null && !node.getSpec().getPodCIDR().isEmpty()) {
      return node.getSpec().getPodCIDR();
    }
    List<String> cidrs = node.getSpec().getPodCIDRs();
    return cidrs == null || cidrs.isEmpty() ? "" : cidrs.get(0);
  }
}
