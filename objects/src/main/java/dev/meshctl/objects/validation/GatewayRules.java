package dev.meshctl.objects.validation;

import static dev.meshctl.objects.FieldPath.child;
import static dev.meshctl.objects.FieldPath.index;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks Gateways (including waypoints): class name, listeners, and the waypoint-for label. */
public final class GatewayRules {
  /** The label that says which traffic a waypoint handles. */
  public static final String WAYPOINT_FOR = "istio.io/waypoint-for";

  private static final Set<String> WAYPOINT_FOR_VALUES = Set.of("service", "workload", "all", "none");

  private GatewayRules() {}

  /** Checks a Gateway. */
  public static void gateway(Gateway gateway, Findings findings) {
    Map<String, String> labels = gateway.getMetadata() == null ? null : gateway.getMetadata().getLabels();
    if (labels != null && labels.containsKey(WAYPOINT_FOR) && !WAYPOINT_FOR_VALUES.contains(labels.get(WAYPOINT_FOR))) {
      findings.add(child("metadata.labels", WAYPOINT_FOR), "must be service, workload, all or none, got \""
          + labels.get(WAYPOINT_FOR) + "\"");
    }
    GatewaySpec spec = gateway.getSpec();
    if (spec == null) {
      findings.required("spec");
      return;
    }
    if (spec.getGatewayClassName() == null || spec.getGatewayClassName().isBlank()) {
      findings.add("spec.gatewayClassName", "required; use istio-waypoint for a waypoint");
    }
    List<Listener> listeners = spec.getListeners();
    if (listeners == null || listeners.isEmpty()) {
      findings.add("spec.listeners", "at least one listener is required, e.g. {name: mesh, port: 15008,"
          + " protocol: HBONE} for a waypoint");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < listeners.size(); i++) {
      if (!findings.notNull("spec.listeners", i, listeners.get(i))) {
        continue;
      }
      Listener listener = listeners.get(i);
      String path = index("spec.listeners", i);
      if (listener.getName() == null || listener.getName().isEmpty()) {
        findings.required(child(path, "name"));
      } else {
        Names.dnsSubdomain(listener.getName()).ifPresent(m -> findings.add(child(path, "name"), m));
        if (!names.add(listener.getName())) {
          findings.add(child(path, "name"), "duplicate listener name \"" + listener.getName() + "\"");
        }
      }
      findings.port(child(path, "port"), listener.getPort());
      if (listener.getProtocol() == null || listener.getProtocol().isBlank()) {
        findings.add(child(path, "protocol"), "required, e.g. HTTP, TCP or HBONE");
      }
    }
  }
}
