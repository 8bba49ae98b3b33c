package dev.meshctl.install.kube;

import dev.meshctl.controlplane.kube.CaSecrets;
import dev.meshctl.controlplane.kube.KubeNames;
import java.util.Objects;
import java.util.Optional;

/**
 * Says what to install on a cluster.
 *
 * @param namespace the mesh's namespace (istio-system)
 * @param image the meshctl image every component runs, tagged with the project version
 * @param trustDomain the SPIFFE trust domain
 * @param pluginCa a plug-in CA to install as the {@code cacerts} Secret; empty to let the control plane generate a root
 *     (kept in the {@code meshctl-ca-secret} Secret)
 */
public record KubeInstallOptions(String namespace, String image, String trustDomain,
    Optional<CaSecrets.PluginPems> pluginCa) {
  public KubeInstallOptions {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(pluginCa, "pluginCa");
    if (image.endsWith(":latest") || !image.substring(image.lastIndexOf('/') + 1).contains(":")) {
      throw new IllegalArgumentException("image " + image + " needs a version tag (not latest), e.g. meshctl/meshctl:0.1.0");
    }
  }

  /** Returns the defaults for {@code image}: namespace istio-system, trust domain cluster.local, a generated root. */
  public static KubeInstallOptions of(String image) {
    return new KubeInstallOptions(KubeNames.NAMESPACE, image, "cluster.local", Optional.empty());
  }

  /** Returns a copy with trust domain {@code trustDomain}. */
  public KubeInstallOptions withTrustDomain(String trustDomain) {
    return new KubeInstallOptions(namespace, image, trustDomain, pluginCa);
  }

  /** Returns a copy that installs plug-in CA {@code pems}. */
  public KubeInstallOptions withPluginCa(CaSecrets.PluginPems pems) {
    return new KubeInstallOptions(namespace, image, trustDomain, Optional.of(pems));
  }
}
