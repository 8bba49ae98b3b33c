package dev.meshctl.install.kube;

import dev.meshctl.controlplane.kube.KubeNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders CRDs for the custom kinds the mesh accepts, with structural schemas that keep every field of spec and
 * status: the control plane validates them itself, and a cluster that already has the real CRDs keeps those.
 */
public final class CrdManifests {
  private CrdManifests() {}

  /** Returns the CRDs for AuthorizationPolicy, PeerAuthentication, Gateway and HTTPRoute. */
  public static List<CustomResourceDefinition> all() {
    return List.of(
        crd("security.istio.io", "AuthorizationPolicy", "authorizationpolicies", List.of("v1", "v1beta1")),
        crd("security.istio.io", "PeerAuthentication", "peerauthentications", List.of("v1", "v1beta1")),
        crd("gateway.networking.k8s.io", "Gateway", "gateways", List.of("v1")),
        crd("gateway.networking.k8s.io", "HTTPRoute", "httproutes", List.of("v1")));
  }

  private static CustomResourceDefinition crd(String group, String kind, String plural, List<String> versions) {
    List<CustomResourceDefinitionVersion> served = versions.stream().map(v -> new CustomResourceDefinitionVersionBuilder()
        .withName(v).withServed(true).withStorage(v.equals(versions.get(0)))
        .withNewSchema().withOpenAPIV3Schema(schema()).endSchema().build()).toList();
    return new CustomResourceDefinitionBuilder().withNewMetadata().withName(plural + "." + group)
        .addToLabels(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE).endMetadata()
        .withNewSpec().withGroup(group).withScope("Namespaced")
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(Locale.ROOT))
        .withListKind(kind + "List").endNames()
        .withVersions(served).endSpec().build();
  }

  private static JSONSchemaProps schema() {
    JSONSchemaProps open = new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(Boolean.TRUE)
        .build();
    return new JSONSchemaPropsBuilder().withType("object").withProperties(Map.of("spec", open, "status", open))
        .build();
  }
}
