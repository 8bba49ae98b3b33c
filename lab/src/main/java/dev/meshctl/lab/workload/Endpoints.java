package dev.meshctl.lab.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Computes a Service's endpoints from pods, as the Kubernetes endpoints controller does. Pure. */
public final class Endpoints {
  private Endpoints() {}

  /** Describes one service port with the ready pod addresses behind it ("ip:port"). */
  public record PortEndpoints(ServicePort port, List<String> addresses) {}

  /** Tells whether {@code labels} contain every entry of {@code selector} (an empty selector selects nothing). */
  public static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null || selector.isEmpty()) {
      return false;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    return selector.entrySet().stream().allMatch(e -> Objects.equals(l.get(e.getKey()), e.getValue()));
  }

  /** Tells whether a pod is running and ready. */
  public static boolean ready(Pod pod) {
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null && conditions.stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Returns, per service port, the ready endpoints among {@code pods}. */
  public static List<PortEndpoints> of(Service service, List<Pod> pods) {
    List<PortEndpoints> result = new ArrayList<>();
    if (service.getSpec() == null || service.getSpec().getPorts() == null) {
      return result;
    }
    String ns = service.getMetadata().getNamespace();
    for (ServicePort sp : service.getSpec().getPorts()) {
      List<String> addresses = new ArrayList<>();
      for (Pod pod : pods) {
        if (!ns.equals(pod.getMetadata().getNamespace())
            || !selects(service.getSpec().getSelector(), pod.getMetadata().getLabels()) || !ready(pod)) {
          continue;
        }
        targetPort(sp, pod).ifPresent(port -> addresses.add(pod.getStatus().getPodIP() + ":" + port));
      }
      addresses.sort(null);
      result.add(new PortEndpoints(sp, addresses));
    }
    return result;
  }

  /** Resolves a service port's targetPort (a number, a container port name, or unset = the port) for a pod. */
  public static Optional<Integer> targetPort(ServicePort sp, Pod pod) {
    IntOrString target = sp.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return Optional.of(sp.getPort());
    }
    if (target.getIntVal() != null) {
      return Optional.of(target.getIntVal());
    }
    String name = target.getStrVal();
    if (name.chars().allMatch(Character::isDigit)) {
      return Optional.of(Integer.parseInt(name));
    }
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort cp : c.getPorts()) {
        if (name.equals(cp.getName())) {
          return Optional.of(cp.getContainerPort());
        }
      }
    }
    return Optional.empty();
  }
}
