package dev.meshctl.install.kube;

import dev.meshctl.controlplane.ca.MeshCa;
import dev.meshctl.controlplane.kube.CaSecrets;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Progress;
import dev.meshctl.lab.images.BaseImage;
import dev.meshctl.lab.images.DockerImageDaemon;
import dev.meshctl.lab.images.ImageBuilder;
import dev.meshctl.lab.images.MeshImages;
import dev.meshctl.lab.kind.KindCluster;
import dev.meshctl.lab.kind.NodeImageLoader;
import dev.meshctl.lab.workload.Launch;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Installs on Kubernetes: for a kind lab, first builds the image from this jar with Jib (building the base image in
 * the Docker daemon when it is missing) and loads it into every node; for any other cluster ({@code --context}), the
 * image must be pullable there. Then applies the manifests, with a plug-in CA as the {@code cacerts} Secret.
 */
public final class KubeInstallFlow {
  private KubeInstallFlow() {}

  /** Renders the manifests offline ({@code install --dry-run -o yaml}): no cluster, no Docker, no key material. */
  public static String render() {
    return ManifestYaml.write(MeshManifests.render(KubeInstallOptions.of(MeshImages.image())));
  }

  /**
   * Returns install options for this build's image, with a plug-in CA when {@code caCert} is given.
   *
   * @throws LabException when only one of certificate and key is given, or they do not make a CA (the reason says
   *     which file to fix)
   */
  public static KubeInstallOptions options(String trustDomain, Optional<Path> caCert, Optional<Path> caKey,
      Optional<Path> caChain) {
    Objects.requireNonNull(trustDomain, "trustDomain");
    KubeInstallOptions options = KubeInstallOptions.of(MeshImages.image()).withTrustDomain(trustDomain);
    if (caCert.isEmpty() && caKey.isEmpty()) {
      if (caChain.isPresent()) {
        throw new LabException("--ca-chain needs --ca-cert and --ca-key: pass the plug-in CA's certificate and key");
      }
      return options;
    }
    if (caCert.isEmpty() || caKey.isEmpty()) {
      throw new LabException("a plug-in CA needs both --ca-cert and --ca-key (and --ca-chain for an intermediate)");
    }
    return options.withPluginCa(pluginPems(caCert.get(), caKey.get(), caChain, trustDomain));
  }

  /** Reads and checks a plug-in CA's files (the chain must reach a root) and returns them as the cacerts Secret holds them. */
  static CaSecrets.PluginPems pluginPems(Path cert, Path key, Optional<Path> chain, String trustDomain) {
    try {
      MeshCa ca = MeshCa.load(cert, key, chain, trustDomain, Clock.systemUTC());
      String chainPem = chain.map(Pem::read).orElse("");
      return new CaSecrets.PluginPems(Pem.read(cert), Pem.read(key), chainPem, Pem.encodeCertificate(ca.root()));
    } catch (IdentityException | UncheckedIOException e) {
      throw new LabException("the plug-in CA cannot be used: " + e.getMessage(), e);
    }
  }

  /** Installs with the defaults (a generated root CA); see {@link #install(Optional, Optional, KubeInstallOptions, Duration, Consumer, Progress)}. */
  public static void install(Optional<Cluster> kindLab, Optional<String> context, Duration wait,
      Consumer<String> out, Progress progress) {
    install(kindLab, context, KubeInstallOptions.of(MeshImages.image()), wait, out, progress);
  }

  /** Installs on a kind lab, or on the cluster of {@code context} when the lab is not a kind lab. */
  public static void install(Optional<Cluster> kindLab, Optional<String> context, KubeInstallOptions options,
      Duration wait, Consumer<String> out, Progress progress) {
    Objects.requireNonNull(options, "options");
    if (kindLab.isPresent() && kindLab.get() instanceof KindCluster kind) {
      loadImage(kind, options.image(), progress);
    }
    try (KubernetesClient client = KubernetesInstaller.connect(context)) {
      new KubernetesInstaller(client).install(options, Optional.of(wait), out);
    } catch (IllegalArgumentException e) {
      throw new LabException(e.getMessage(), e);
    }
  }

  private static void loadImage(KindCluster kind, String image, Progress progress) {
    Path tar = kind.kubeconfig().resolveSibling("meshctl-image.tar");
    // A kind lab was brought up through Docker, so the daemon is there to hold (or build) the base.
    ImageBuilder.Base base = BaseImage.choose(System.getenv(), true);
    try (var docker = NodeImageLoader.connect()) {
      if (base instanceof ImageBuilder.FromDaemon d) {
        BaseImage.ensure(new DockerImageDaemon(docker, progress::step), d.ref(), progress);
      }
      new ImageBuilder(progress).build(Path.of(Launch.classpath()), base, image, new ImageBuilder.Tarball(tar));
      progress.step("loading the image into " + kind.nodes().size() + " kind node(s)");
      new NodeImageLoader(docker).load(tar, kind.nodes().stream().map(NodeInfo::name).toList(), progress);
    } catch (IOException e) {
      throw new LabException("cannot close the Docker client: " + e.getMessage(), e);
    }
  }

  /** Removes everything the Kubernetes installation created. */
  public static List<String> uninstall(Optional<String> context, Consumer<String> out) {
    try (KubernetesClient client = KubernetesInstaller.connect(context)) {
      return new KubernetesInstaller(client).uninstall(KubeInstallOptions.of(MeshImages.image()), out);
    } catch (IllegalArgumentException e) {
      throw new LabException(e.getMessage(), e);
    }
  }
}
