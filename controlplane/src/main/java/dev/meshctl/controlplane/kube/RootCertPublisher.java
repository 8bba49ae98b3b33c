package dev.meshctl.controlplane.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/** Publishes the mesh root certificate in a ConfigMap, where node agents and waypoints mount it to trust the control plane. */
public final class RootCertPublisher {
  private RootCertPublisher() {}

  /** Creates or replaces ConfigMap {@link KubeNames#ROOT_CERT_CONFIG_MAP} in {@code namespace} with {@code pem}. */
  public static ConfigMap publish(KubernetesClient client, String namespace, String pem) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(pem, "pem");
    ConfigMap map = new ConfigMapBuilder().withNewMetadata().withNamespace(namespace)
        .withName(KubeNames.ROOT_CERT_CONFIG_MAP).addToLabels(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE)
        .endMetadata().addToData(KubeNames.ROOT_CERT_KEY, pem).build();
    return client.resource(map).createOr(r -> r.update());
  }
}
