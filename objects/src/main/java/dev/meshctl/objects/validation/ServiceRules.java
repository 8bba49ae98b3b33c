package dev.meshctl.objects.validation;

import static dev.meshctl.objects.FieldPath.child;
import static dev.meshctl.objects.FieldPath.index;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks Services: ClusterIP only, ports in range and unique, targetPort a number or a port name. */
public final class ServiceRules {
  private ServiceRules() {}

  /** Checks a Service. */
  public static void service(Service service, Findings findings) {
    ServiceSpec spec = service.getSpec();
    if (spec == null) {
      findings.required("spec");
      return;
    }
    if (spec.getType() != null && !spec.getType().equals("ClusterIP")) {
      findings.add("spec.type", "only ClusterIP services are supported, got \"" + spec.getType() + "\"");
    }
    MetadataRules.labels(spec.getSelector(), "spec.selector", findings);
    List<ServicePort> ports = spec.getPorts();
    if (ports == null || ports.isEmpty()) {
      findings.add("spec.ports", "at least one port is required");
      return;
    }
    Set<String> seen = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      if (!findings.notNull("spec.ports", i, ports.get(i))) {
        continue;
      }
      ServicePort port = ports.get(i);
      String path = index("spec.ports", i);
      findings.port(child(path, "port"), port.getPort());
      Protocols.check(port.getProtocol(), child(path, "protocol"), findings);
      String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
      if (port.getPort() != null && !seen.add(port.getPort() + "/" + protocol)) {
        findings.add(child(path, "port"), "duplicate port " + port.getPort() + "/" + protocol);
      }
      if (port.getName() != null && !port.getName().isEmpty()) {
        Names.dnsLabel(port.getName()).ifPresent(m -> findings.add(child(path, "name"), m));
        if (!names.add(port.getName())) {
          findings.add(child(path, "name"), "duplicate port name \"" + port.getName() + "\"");
        }
      } else if (ports.size() > 1) {
        findings.add(child(path, "name"), "required when a Service has more than one port");
      }
      targetPort(port.getTargetPort(), child(path, "targetPort"), findings);
    }
  }

  private static void targetPort(IntOrString target, String path, Findings findings) {
    if (target == null || target.getValue() == null) {
      return; // defaults to port
    }
    if (target.getIntVal() != null) {
      findings.port(path, target.getIntVal());
    } else if (target.getStrVal() != null) {
      Names.portName(target.getStrVal()).ifPresent(m -> findings.add(path, m));
    }
  }
}
