package dev.meshctl.install.kube;

import dev.meshctl.controlplane.kube.KubeNames;
import java.util.Objects;

/**
 * Says what to install on a cluster.
 *
 * @param namespace the mesh's namespace (istio-system)
 * @param image the meshctl image every component runs, tagged with the project version
 * @param trustDomain the SPIFFE trust domain
 */
public record KubeInstallOptions(String namespace, String image, String trustDomain) {
  public KubeInstallOptions {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(trustDomain, "trustDomain");
    if (image.endsWith(":latest") || !image.substring(image.lastIndexOf('/') + 1).contains(":")) {
      throw new IllegalArgumentException("image " + image + " needs a version tag (not latest), e.g. meshctl/meshctl:0.1.0");
    }
  }

  /** Returns the defaults for {@code image}: namespace istio-system, trust domain cluster.local. */
  public static KubeInstallOptions of(String image) {
    return new KubeInstallOptions(KubeNames.NAMESPACE, image, "cluster.local");
  }
}
