package dev.meshctl.controlplane.model;

import java.util.List;
import java.util.Objects;

/**
 * Holds the mesh-wide settings translation needs.
 *
 * @param trustDomain the SPIFFE trust domain of workload identities
 * @param rootNamespace where mesh-wide policies live (a policy there without a selector applies everywhere)
 * @param clusterDomain the DNS suffix of service hostnames
 * @param nodes nodes that get a node-agent snapshot even when no pod runs on them
 */
public record MeshConfig(String trustDomain, String rootNamespace, String clusterDomain, List<String> nodes) {

  public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
  public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  public MeshConfig {
    trustDomain = orDefault(trustDomain, DEFAULT_TRUST_DOMAIN);
    rootNamespace = orDefault(rootNamespace, DEFAULT_ROOT_NAMESPACE);
    clusterDomain = orDefault(clusterDomain, DEFAULT_CLUSTER_DOMAIN);
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  /** Returns Istio's defaults: trust domain and cluster domain {@code cluster.local}, root namespace {@code istio-system}. */
  public static MeshConfig defaults() {
    return new MeshConfig(null, null, null, List.of());
  }

  /** Returns a copy that also gives snapshots to these nodes. */
  public MeshConfig withNodes(List<String> nodes) {
    Objects.requireNonNull(nodes, "nodes");
    return new MeshConfig(trustDomain, rootNamespace, clusterDomain, nodes);
  }

  /** Returns the SPIFFE id of a service account, e.g. {@code spiffe://cluster.local/ns/default/sa/curl}. */
  public String spiffeId(String namespace, String serviceAccount) {
    return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
  }

  /** Returns a service's hostname, e.g. {@code reviews.default.svc.cluster.local}. */
  public String hostname(String namespace, String service) {
    return service + "." + namespace + ".svc." + clusterDomain;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
