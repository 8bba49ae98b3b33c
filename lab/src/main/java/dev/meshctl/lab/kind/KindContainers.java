package dev.meshctl.lab.kind;

import com.dajudge.kindcontainer.KindContainer;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Creates a single-node kind cluster through Testcontainers (kindcontainer) when the kind CLI is missing. The
 * container is marked reusable so it outlives this process (Testcontainers' reaper leaves reusable containers alone).
 */
final class KindContainers {
  static final String LAB_LABEL = "dev.meshctl.lab";

  private KindContainers() {}

  /** Starts the cluster, writes its kubeconfig and returns the node container's name. */
  static List<String> create(String lab, Path kubeconfig, Progress progress) {
    progress.step("starting a single-node kind cluster in Docker (Testcontainers)");
    org.testcontainers.utility.TestcontainersConfiguration.getInstance()
        .updateUserConfig("testcontainers.reuse.enable", "true");
    @SuppressWarnings("resource")
    KindContainer<?> kind = new KindContainer<>().withReuse(true).withLabel(LAB_LABEL, lab);
    try {
      kind.start();
      Files.createDirectories(kubeconfig.getParent());
      Files.writeString(kubeconfig, kind.getKubeconfig());
      return List.of(kind.getContainerName().replaceFirst("^/", ""));
    } catch (IOException e) {
      throw new LabException("cannot write kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new LabException("starting kind through Testcontainers failed: " + e.getMessage()
          + "; install the kind CLI (https://kind.sigs.k8s.io) to create clusters with it instead", e);
    }
  }

  /** Removes the lab's container, if any. */
  static void delete(String lab, Progress progress) {
    try (var docker = NodeImageLoader.connect()) {
      for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of(LAB_LABEL, lab))
          .exec()) {
        progress.step("removing container " + String.join(",", c.getNames()));
        docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
      }
    } catch (IOException e) {
      throw new LabException("cannot close the Docker client: " + e.getMessage(), e);
    }
  }
}
