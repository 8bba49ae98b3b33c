package dev.meshctl.controlplane.model;

import dev.meshctl.controlplane.model.WaypointBinding.Source;
import dev.meshctl.controlplane.model.WaypointBinding.Subject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which waypoint, if any, a Service's or a Pod's traffic goes through.
 *
 * <p>Precedence: the object's own {@code istio.io/use-waypoint} label (its value {@code none} opts out), then
 * a per-service-account waypoint, then the namespace's label.
 */
final class WaypointBinder {
  private final Map<String, Namespace> namespaces;
  private final Map<String, String> nonWaypointGateways;
  private final Map<String, MeshWaypoint> waypoints;
  private final Map<String, MeshWaypoint> byServiceAccount;

  /**
   * @param nonWaypointGateways "ns/name" -> gateway class of Gateways that are not waypoints (for messages)
   * @param waypoints "ns/name" -> waypoint
   * @param byServiceAccount "ns/serviceAccount" -> per-service-account waypoint
   */
  WaypointBinder(Map<String, Namespace> namespaces, Map<String, String> nonWaypointGateways,
      Map<String, MeshWaypoint> waypoints, Map<String, MeshWaypoint> byServiceAccount) {
    this.namespaces = namespaces;
    this.nonWaypointGateways = nonWaypointGateways;
    this.waypoints = waypoints;
    this.byServiceAccount = byServiceAccount;
  }

  /** Decides for a Service, given the pods it selects; empty when nothing asks for a waypoint. */
  Optional<WaypointBinding> forService(Service service, List<Pod> selected) {
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    Optional<Optional<WaypointBinding>> own = byLabel(Subject.SERVICE, service, ns, name, Source.OBJECT_LABEL);
    if (own.isPresent()) {
      return own.get();
    }
    if (!selected.isEmpty()) {
      String sa = Pods.serviceAccount(selected.get(0));
      boolean one = selected.stream().allMatch(p -> Pods.serviceAccount(p).equals(sa));
      MeshWaypoint w = one ? byServiceAccount.get(ns + "/" + sa) : null;
      if (w != null) {
        return Optional.of(bind(Subject.SERVICE, ns, name, w.namespace(), w.name(), Source.SERVICE_ACCOUNT));
      }
    }
    return byNamespace(Subject.SERVICE, ns, name);
  }

  /** Decides for an enrolled pod's workload traffic; empty when nothing asks for a waypoint. */
  Optional<WaypointBinding> forPod(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Optional<Optional<WaypointBinding>> own = byLabel(Subject.WORKLOAD, pod, ns, name, Source.OBJECT_LABEL);
    if (own.isPresent()) {
      return own.get();
    }
    MeshWaypoint w = byServiceAccount.get(ns + "/" + Pods.serviceAccount(pod));
    if (w != null) {
      return Optional.of(bind(Subject.WORKLOAD, ns, name, w.namespace(), w.name(), Source.SERVICE_ACCOUNT));
    }
    return byNamespace(Subject.WORKLOAD, ns, name);
  }

  private Optional<WaypointBinding> byNamespace(Subject subject, String ns, String name) {
    Namespace namespace = namespaces.get(ns);
    if (namespace == null) {
      return Optional.empty();
    }
    return byLabel(subject, namespace, ns, name, Source.NAMESPACE_LABEL).orElse(Optional.empty());
  }

  // Outer empty: the object has no label (ask the next source). Inner empty: it opted out with "none".
  private Optional<Optional<WaypointBinding>> byLabel(Subject subject, HasMetadata labelled, String ns, String name,
      Source source) {
    Map<String, String> labels = Pods.labels(labelled);
    String waypoint = labels.get(MeshLabels.USE_WAYPOINT);
    if (waypoint == null || waypoint.isEmpty()) {
      return Optional.empty();
    }
    if (waypoint.equals("none")) {
      return Optional.of(Optional.empty());
    }
    String waypointNs = labels.getOrDefault(MeshLabels.USE_WAYPOINT_NAMESPACE, "");
    if (waypointNs.isEmpty()) {
      waypointNs = ns;
    }
    return Optional.of(Optional.of(bind(subject, ns, name, waypointNs, waypoint, source)));
  }

  private WaypointBinding bind(Subject subject, String ns, String name, String waypointNs, String waypointName,
      Source source) {
    String key = waypointNs + "/" + waypointName;
    MeshWaypoint w = waypoints.get(key);
    if (w == null) {
      String gatewayClass = nonWaypointGateways.get(key);
      String reason = gatewayClass != null
          ? "Gateway " + key + " is not a waypoint (gatewayClassName " + gatewayClass + "): use gatewayClassName "
              + MeshLabels.WAYPOINT_CLASS + "; traffic goes direct"
          : "waypoint " + key + " does not exist: create it with 'meshctl waypoint apply -n " + waypointNs
              + " --name " + waypointName + "'; traffic goes direct";
      return new WaypointBinding(subject, ns, name, waypointNs, waypointName, source, false, false, reason);
    }
    boolean takes = subject == Subject.SERVICE ? w.takesServiceTraffic() : w.takesWorkloadTraffic();
    if (!takes) {
      String kind = subject == Subject.SERVICE ? "service" : "workload";
      String reason = "waypoint " + key + " does not take " + kind + " traffic (" + MeshLabels.WAYPOINT_FOR + "="
          + w.waypointFor().label() + "): label it " + MeshLabels.WAYPOINT_FOR + "=" + kind + " or all;"
          + " traffic goes direct";
      return new WaypointBinding(subject, ns, name, waypointNs, waypointName, source, false, false, reason);
    }
    if (!w.ready()) {
      return new WaypointBinding(subject, ns, name, waypointNs, waypointName, source, true, false,
          "waypoint " + key + " has no ready instance yet; traffic goes direct until it has one");
    }
    return new WaypointBinding(subject, ns, name, waypointNs, waypointName, source, true, true,
        "bound to waypoint " + key);
  }
}
