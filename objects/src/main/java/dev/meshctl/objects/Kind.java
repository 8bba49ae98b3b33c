package dev.meshctl.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;

/**
 * Describes one supported kind: the apiVersions it is accepted under (the first is preferred), its model class,
 * the plural used as its store directory, and whether it lives in a namespace.
 *
 * @param name the kind, e.g. {@code Deployment}
 * @param apiVersions accepted apiVersions, preferred first
 * @param type the model class
 * @param plural the lower-case plural name, e.g. {@code deployments}
 * @param namespaced whether objects of this kind live in a namespace
 */
public record Kind(
    String name, List<String> apiVersions, Class<? extends HasMetadata> type, String plural, boolean namespaced) {

  public Kind {
    Objects.requireNonNull(name, "name");
    apiVersions = List.copyOf(apiVersions);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(plural, "plural");
    if (apiVersions.isEmpty()) {
      throw new IllegalArgumentException("kind " + name + " needs at least one apiVersion");
    }
  }

  /** Returns the preferred apiVersion. */
  public String apiVersion() {
    return apiVersions.get(0);
  }

  /** Renders the kind as users write it, e.g. {@code apps/v1 Deployment}. */
  @Override
  public String toString() {
    return apiVersion() + " " + name;
  }
}
