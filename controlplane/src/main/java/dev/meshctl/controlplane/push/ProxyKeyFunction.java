package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.Node;

/** Chooses which snapshot a proxy gets: proxies with the same key share one. */
@FunctionalInterface
public interface ProxyKeyFunction {

  /** Returns the snapshot key of a proxy. */
  String proxyKey(Node node);

  /** Keys each proxy by its {@code node.id}. */
  static ProxyKeyFunction byNodeId() {
    return Node::getId;
  }
}
