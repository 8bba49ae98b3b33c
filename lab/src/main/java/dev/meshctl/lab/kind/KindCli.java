package dev.meshctl.lab.kind;

import dev.meshctl.lab.LabException;
import dev.meshctl.lab.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Drives the {@code kind} CLI: create and delete a lab's cluster, list its node containers. */
final class KindCli {
  private KindCli() {}

  /** Creates the cluster and returns its node container names (control plane first). */
  static List<String> create(String lab, int nodes, Path stateDir, Path kubeconfig, Progress progress) {
    try {
      Files.createDirectories(stateDir);
      Path config = Files.writeString(stateDir.resolve("kind.yaml"), KindConfig.render(nodes));
      progress.step("creating kind cluster " + KindConfig.clusterName(lab) + " with " + nodes + " nodes");
      run(List.of("kind", "create", "cluster", "--name", KindConfig.clusterName(lab), "--config", config.toString(),
          "--kubeconfig", kubeconfig.toString(), "--wait", "120s"));
      return run(List.of("kind", "get", "nodes", "--name", KindConfig.clusterName(lab))).lines().map(String::trim)
          .filter(s -> !s.isEmpty()).sorted((a, b) -> a.endsWith("control-plane") ? -1 : b.endsWith("control-plane")
              ? 1 : a.compareTo(b)).toList();
    } catch (IOException e) {
      throw new LabException("cannot write the kind config in " + stateDir + ": " + e.getMessage(), e);
    }
  }

  static void delete(String lab, Progress progress) {
    progress.step("deleting kind cluster " + KindConfig.clusterName(lab));
    run(List.of("kind", "delete", "cluster", "--name", KindConfig.clusterName(lab)));
  }

  private static String run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new LabException(String.join(" ", argv) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new LabException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + String.join(" ", argv), e);
    }
  }
}
