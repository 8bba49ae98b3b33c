package dev.meshctl.controlplane.translate;

import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.ProxyType;
import dev.meshctl.controlplane.push.ProxyKeyFunction;
import java.util.Objects;

/**
 * Names snapshots: {@code node-agent~<node>} for node agents and {@code waypoint~<ns>/<gateway>} for waypoints.
 *
 * <pre>{@code
 * DeltaDiscoveryServer.builder(cache).proxyKeys(ProxyKeys.function())...
 * cache.set(ProxyKeys.nodeAgent("node-1"), snapshot);
 * }</pre>
 */
public final class ProxyKeys {
  public static final String NODE_AGENT_PREFIX = "node-agent~";
  public static final String WAYPOINT_PREFIX = "waypoint~";

  private ProxyKeys() {}

  /** Returns the key of a node's agent. */
  public static String nodeAgent(String node) {
    Objects.requireNonNull(node, "node");
    return NODE_AGENT_PREFIX + node;
  }

  /** Returns the key of a waypoint (all its instances share one snapshot). */
  public static String waypoint(String namespace, String gateway) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(gateway, "gateway");
    return WAYPOINT_PREFIX + namespace + "/" + gateway;
  }

  /**
   * Returns the snapshot key of a connecting proxy: a node agent by {@code node_name} (else the name in an id
   * {@code node-agent~<node>}); a waypoint by an id {@code <ns>/<gateway>} or {@code waypoint~<ns>/<gateway>}.
   *
   * @throws IllegalArgumentException if the node does not say which node or waypoint it is
   */
  public static String of(Node node) {
    Objects.requireNonNull(node, "node");
    String id = node.getId();
    if (node.getType() == ProxyType.WAYPOINT) {
      String name = id.startsWith(WAYPOINT_PREFIX) ? id.substring(WAYPOINT_PREFIX.length()) : id;
      int slash = name.indexOf('/');
      if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0) {
        throw new IllegalArgumentException("waypoint node id '" + id + "' does not name its Gateway: set the id to"
            + " waypoint~<namespace>/<gateway name>");
      }
      return WAYPOINT_PREFIX + name;
    }
    if (!node.getNodeName().isEmpty()) {
      return nodeAgent(node.getNodeName());
    }
    if (id.startsWith(NODE_AGENT_PREFIX) && id.length() > NODE_AGENT_PREFIX.length()) {
      return id;
    }
    throw new IllegalArgumentException("node agent '" + id + "' does not say which node it runs on: set node_name"
        + " (or the id node-agent~<node name>)");
  }

  /** Returns {@link #of(Node)} as the push server's key function. */
  public static ProxyKeyFunction function() {
    return ProxyKeys::of;
  }
}
