package dev.meshctl.objects.validation;

import static dev.meshctl.objects.FieldPath.child;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/** Checks metadata: the name's format, the namespace, and label keys and values. */
public final class MetadataRules {
  private MetadataRules() {}

  /**
   * Checks {@code metadata}.
   *
   * @param labelName whether the name must be a DNS-1123 label (Namespace, Service) rather than a subdomain
   * @param namespaced whether the kind lives in a namespace
   */
  public static void check(ObjectMeta metadata, boolean labelName, boolean namespaced, Findings findings) {
    String name = metadata == null ? null : metadata.getName();
    if (name == null || name.isEmpty()) {
      findings.add("metadata.name", "required; every object needs a name"
          + (metadata != null && metadata.getGenerateName() != null ? " (generateName is not supported)" : ""));
    } else {
      (labelName ? Names.dnsLabel(name) : Names.dnsSubdomain(name))
          .ifPresent(m -> findings.add("metadata.name", m));
    }
    if (metadata == null) {
      return;
    }
    if (namespaced && metadata.getNamespace() != null) {
      Names.dnsLabel(metadata.getNamespace()).ifPresent(m -> findings.add("metadata.namespace", m));
    }
    if (!namespaced && metadata.getNamespace() != null && !metadata.getNamespace().isEmpty()) {
      findings.add("metadata.namespace", "must be absent: this kind does not live in a namespace");
    }
    labels(metadata.getLabels(), "metadata.labels", findings);
  }

  static void labels(Map<String, String> labels, String path, Findings findings) {
    if (labels == null) {
      return;
    }
    labels.forEach((key, value) -> {
      Names.labelKey(key).ifPresent(m -> findings.add(child(path, key), m));
      Names.labelValue(value).ifPresent(m -> findings.add(child(path, key), m));
    });
  }
}
