package dev.meshctl.controlplane.translate;

import dev.meshctl.api.mesh.GatewayAddress;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshWaypoint;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Translates a Kubernetes Service into the mesh's Service, and resolves its ports for one backing pod. */
final class ServiceTranslator {
  private ServiceTranslator() {}

  /** Returns the Service's virtual IPs; empty for a headless Service or one without an IP yet. */
  static List<String> addresses(Service service) {
    if (service.getSpec() == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    if (service.getSpec().getClusterIP() != null) {
      out.add(service.getSpec().getClusterIP());
    }
    if (service.getSpec().getClusterIPs() != null) {
      out.addAll(service.getSpec().getClusterIPs());
    }
    out.removeIf(ip -> ip == null || ip.isEmpty() || ip.equals("None"));
    return List.copyOf(out);
  }

  /** Translates a Service that has addresses; the waypoint only when traffic goes through it now. */
  static dev.meshctl.api.mesh.Service translate(Service service, MeshConfig config, Optional<MeshWaypoint> waypoint) {
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    dev.meshctl.api.mesh.Service.Builder out = dev.meshctl.api.mesh.Service.newBuilder()
        .setName(name)
        .setNamespace(ns)
        .setHostname(config.hostname(ns, name))
        .addAllAddresses(addresses(service));
    for (ServicePort p : ports(service)) {
      IntOrString target = p.getTargetPort();
      int targetPort = target == null ? p.getPort()
          : target.getIntVal() != null ? target.getIntVal()
          : 0; // a named port differs per pod: see Workload.services
      out.addPorts(port(p).setTargetPort(targetPort));
    }
    waypoint.ifPresent(w -> out.setWaypoint(gatewayAddress(w)));
    return out.build();
  }

  /** Returns the Service's ports as one backing pod serves them; a named target the pod lacks is left out. */
  static List<Port> portsFor(Service service, Pod pod) {
    List<Port> out = new ArrayList<>();
    for (ServicePort p : ports(service)) {
      IntOrString target = p.getTargetPort();
      Integer targetPort = target == null ? p.getPort()
          : target.getIntVal() != null ? target.getIntVal()
          : namedPort(pod, target.getStrVal());
      if (targetPort != null) {
        out.add(port(p).setTargetPort(targetPort).build());
      }
    }
    return out;
  }

  /** Returns where a waypoint is reached and whom to expect there. */
  static GatewayAddress gatewayAddress(MeshWaypoint w) {
    return GatewayAddress.newBuilder()
        .setAddress(w.address())
        .setHbonePort(w.hbonePort())
        .setIdentity(w.identity())
        .build();
  }

  /**
   * Returns the application protocol: {@code appProtocol} when set, else the port name's Istio-style prefix
   * ({@code http}, {@code http2}, {@code grpc}, {@code tcp}); empty when unknown.
   */
  static String appProtocol(ServicePort p) {
    String declared = p.getAppProtocol();
    if (declared != null && !declared.isEmpty()) {
      return switch (declared.toLowerCase(Locale.ROOT)) {
        case "kubernetes.io/h2c", "h2c" -> "http2";
        case "kubernetes.io/ws", "kubernetes.io/wss" -> "http";
        default -> declared.toLowerCase(Locale.ROOT);
      };
    }
    String name = p.getName() == null ? "" : p.getName().toLowerCase(Locale.ROOT);
    for (String prefix : List.of("http2", "grpc", "http", "tcp")) {
      if (name.equals(prefix) || name.startsWith(prefix + "-")) {
        return prefix;
      }
    }
    return "";
  }

  private static List<ServicePort> ports(Service service) {
    if (service.getSpec() == null || service.getSpec().getPorts() == null) {
      return List.of();
    }
    return service.getSpec().getPorts().stream()
        .filter(p -> p != null && p.getPort() != null && (p.getProtocol() == null || p.getProtocol().equals("TCP")))
        .toList();
  }

  private static Port.Builder port(ServicePort p) {
    return Port.newBuilder()
        .setServicePort(p.getPort())
        .setName(p.getName() == null ? "" : p.getName())
        .setAppProtocol(appProtocol(p));
  }

  private static Integer namedPort(Pod pod, String name) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null || name == null) {
      return null;
    }
    for (Container c : pod.getSpec().getContainers()) {
      if (c != null && c.getPorts() != null) {
        for (ContainerPort cp : c.getPorts()) {
          if (cp != null && name.equals(cp.getName()) && cp.getContainerPort() != null) {
            return cp.getContainerPort();
          }
        }
      }
    }
    return null;
  }

  /** Returns the resource name, {@code namespace/hostname}. */
  static String key(Service service, MeshConfig config) {
    return service.getMetadata().getNamespace() + "/"
        + config.hostname(service.getMetadata().getNamespace(), service.getMetadata().getName());
  }
}
