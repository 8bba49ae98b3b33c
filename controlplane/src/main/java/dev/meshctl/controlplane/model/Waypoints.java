package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Finds the waypoint Gateways and works out their instances, address and identity. */
final class Waypoints {
  private static final Set<String> CLASSES = Set.of(MeshLabels.WAYPOINT_CLASS, MeshLabels.MESHCTL_WAYPOINT_CLASS);

  private final MeshConfig config;
  private final Map<String, Gateway> gateways;
  private final PodIndex pods;
  private final Map<String, Service> services;
  private final List<String> warnings;

  Waypoints(MeshConfig config, Map<String, Gateway> gateways, PodIndex pods, Map<String, Service> services,
      List<String> warnings) {
    this.config = config;
    this.gateways = gateways;
    this.pods = pods;
    this.services = services;
    this.warnings = warnings;
  }

  /** Returns "ns/name" -> waypoint, sorted. */
  Map<String, MeshWaypoint> build() {
    Map<String, MeshWaypoint> out = new TreeMap<>();
    for (Map.Entry<String, Gateway> e : gateways.entrySet()) {
      Gateway g = e.getValue();
      if (g.getSpec() == null || !CLASSES.contains(g.getSpec().getGatewayClassName())) {
        continue;
      }
      out.put(e.getKey(), waypoint(e.getKey(), g));
    }
    return out;
  }

  private MeshWaypoint waypoint(String key, Gateway g) {
    String ns = g.getMetadata().getNamespace();
    String name = g.getMetadata().getName();
    String forLabel = Pods.labels(g).get(MeshLabels.WAYPOINT_FOR);
    MeshWaypoint.TrafficType type = MeshWaypoint.TrafficType.parse(forLabel).orElseGet(() -> {
      warnings.add("waypoint " + key + ": " + MeshLabels.WAYPOINT_FOR + "=" + forLabel
          + " is not one of service, workload, all, none; treating it as service");
      return MeshWaypoint.TrafficType.SERVICE;
    });
    String sa = Pods.annotations(g).getOrDefault(MeshLabels.SERVICE_ACCOUNT_ANNOTATION, "");

    List<Pod> instances = pods.select(ns, Map.of(MeshLabels.GATEWAY_NAME, name));
    List<String> ready = new ArrayList<>();
    String readySa = null;
    String anySa = null;
    for (Pod pod : instances) {
      boolean healthy = Pods.healthy(pod) && !Pods.addresses(pod).isEmpty();
      String explicit = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
      if (explicit != null && !explicit.isEmpty()) {
        anySa = anySa == null ? explicit : anySa;
        readySa = readySa == null && healthy ? explicit : readySa;
      }
      if (healthy) {
        ready.add(Pods.addresses(pod).get(0));
      }
    }
    // Istio runs a waypoint under a service account named after it, unless its pods say otherwise.
    String identitySa = readySa != null ? readySa : anySa != null ? anySa : name;
    ready.sort(null);
    String address = "";
    if (!ready.isEmpty()) {
      Service own = services.get(key);
      String vip = own == null || own.getSpec() == null ? null : own.getSpec().getClusterIP();
      address = vip != null && !vip.isEmpty() && !vip.equals("None") ? vip : ready.get(0);
    }
    return new MeshWaypoint(ns, name, type, sa, config.spiffeId(ns, identitySa), ready, address, hbonePort(g));
  }

  private static int hbonePort(Gateway g) {
    List<Listener> listeners = g.getSpec().getListeners();
    if (listeners != null) {
      for (Listener l : listeners) {
        if (l != null && "HBONE".equals(l.getProtocol()) && l.getPort() != null) {
          return l.getPort();
        }
      }
    }
    return MeshWaypoint.HBONE_PORT;
  }
}
