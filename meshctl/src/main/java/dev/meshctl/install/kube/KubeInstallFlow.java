package dev.meshctl.install.kube;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Progress;
import dev.meshctl.lab.images.ImageBuilder;
import dev.meshctl.lab.images.MeshImages;
import dev.meshctl.lab.kind.KindCluster;
import dev.meshctl.lab.kind.NodeImageLoader;
import dev.meshctl.lab.workload.Launch;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Installs on Kubernetes: for a kind lab, first builds the image from this jar with Jib and loads it into every node;
 * for any other cluster (`--context`), the image must be pullable there. Then applies the manifests.
 */
public final class KubeInstallFlow {
  private KubeInstallFlow() {}

  /** Renders the manifests offline ({@code install --dry-run -o yaml}). */
  public static String render() {
    return ManifestYaml.write(MeshManifests.render(KubeInstallOptions.of(MeshImages.image())));
  }

  /** Installs on a kind lab, or on the cluster of {@code context} when the lab is not a kind lab. */
  public static void install(Optional<Cluster> kindLab, Optional<String> context, Duration wait,
      Consumer<String> out, Progress progress) {
    KubeInstallOptions options = KubeInstallOptions.of(MeshImages.image());
    if (kindLab.isPresent() && kindLab.get() instanceof KindCluster kind) {
      Path tar = kind.kubeconfig().resolveSibling("meshctl-image.tar");
      progress.step("building image " + MeshImages.image() + " with Jib");
      new ImageBuilder(progress).build(Path.of(Launch.classpath()),
          new ImageBuilder.FromDaemon(MeshImages.base(System.getenv())), MeshImages.image(),
          new ImageBuilder.Tarball(tar));
      progress.step("loading the image into " + kind.nodes().size() + " kind node(s)");
      new NodeImageLoader(NodeImageLoader.connect()).load(tar,
          kind.nodes().stream().map(NodeInfo::name).toList(), progress);
    }
    try (KubernetesClient client = KubernetesInstaller.connect(context)) {
      new KubernetesInstaller(client).install(options, Optional.of(wait), out);
    } catch (IllegalArgumentException e) {
      throw new LabException(e.getMessage(), e);
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
