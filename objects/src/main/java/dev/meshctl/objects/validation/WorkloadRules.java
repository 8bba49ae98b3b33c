package dev.meshctl.objects.validation;

import static dev.meshctl.objects.FieldPath.child;
import static dev.meshctl.objects.FieldPath.index;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Checks Deployments and Pods: replicas, selector versus template labels, containers, ports and env. */
public final class WorkloadRules {
  private WorkloadRules() {}

  /** Checks a Deployment. */
  public static void deployment(Deployment deployment, Findings findings) {
    DeploymentSpec spec = deployment.getSpec();
    if (spec == null) {
      findings.required("spec");
      return;
    }
    if (spec.getReplicas() != null && spec.getReplicas() < 0) {
      findings.add("spec.replicas", "must be 0 or more, got " + spec.getReplicas());
    }
    Map<String, String> templateLabels = spec.getTemplate() == null || spec.getTemplate().getMetadata() == null
        ? Map.of() : spec.getTemplate().getMetadata().getLabels();
    selector(spec.getSelector(), templateLabels, findings);
    PodTemplateSpec template = spec.getTemplate();
    if (template == null) {
      findings.required("spec.template");
      return;
    }
    if (template.getMetadata() != null) {
      MetadataRules.labels(template.getMetadata().getLabels(), "spec.template.metadata.labels", findings);
    }
    podSpec(template.getSpec(), "spec.template.spec", findings);
  }

  /** Checks a Pod. */
  public static void pod(Pod pod, Findings findings) {
    podSpec(pod.getSpec(), "spec", findings);
  }

  private static void selector(LabelSelector selector, Map<String, String> templateLabels, Findings findings) {
    if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
      findings.add("spec.selector.matchLabels", "required; it must select the pod template's labels, e.g."
          + " matchLabels: {app: reviews}");
      return;
    }
    Map<String, String> labels = templateLabels == null ? Map.of() : templateLabels;
    selector.getMatchLabels().forEach((key, value) -> {
      if (!Objects.equals(labels.get(key), value)) {
        findings.add(child("spec.selector.matchLabels", key), "selects " + key + "=" + value
            + " but the pod template (spec.template.metadata.labels) "
            + (labels.containsKey(key) ? "has " + key + "=" + labels.get(key) : "has no label " + key));
      }
    });
  }

  static void podSpec(PodSpec spec, String path, Findings findings) {
    if (spec == null) {
      findings.required(path);
      return;
    }
    String containersPath = child(path, "containers");
    List<Container> containers = spec.getContainers();
    if (containers == null || containers.isEmpty()) {
      findings.add(containersPath, "at least one container is required");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      if (findings.notNull(containersPath, i, containers.get(i))) {
        container(containers.get(i), index(containersPath, i), names, findings);
      }
    }
  }

  private static void container(Container container, String path, Set<String> names, Findings findings) {
    String name = container.getName();
    if (name == null || name.isEmpty()) {
      findings.required(child(path, "name"));
    } else {
      Names.dnsLabel(name).ifPresent(m -> findings.add(child(path, "name"), m));
      if (!names.add(name)) {
        findings.add(child(path, "name"), "duplicate container name \"" + name + "\"");
      }
    }
    if (container.getImage() == null || container.getImage().isBlank()) {
      findings.add(child(path, "image"), "required; name the container image, e.g. image: docker.io/curlimages/curl");
    }
    List<ContainerPort> ports = container.getPorts();
    for (int i = 0; ports != null && i < ports.size(); i++) {
      String portPath = index(child(path, "ports"), i);
      if (!findings.notNull(child(path, "ports"), i, ports.get(i))) {
        continue;
      }
      ContainerPort port = ports.get(i);
      findings.port(child(portPath, "containerPort"), port.getContainerPort());
      if (port.getName() != null) {
        Names.portName(port.getName()).ifPresent(m -> findings.add(child(portPath, "name"), m));
      }
      Protocols.check(port.getProtocol(), child(portPath, "protocol"), findings);
    }
    List<EnvVar> env = container.getEnv();
    for (int i = 0; env != null && i < env.size(); i++) {
      if (findings.notNull(child(path, "env"), i, env.get(i))
          && (env.get(i).getName() == null || env.get(i).getName().isEmpty())) {
        findings.add(child(index(child(path, "env"), i), "name"), "required; every env entry needs a name");
      }
    }
  }
}
