package dev.meshctl.cli;

import dev.meshctl.install.Installer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Removes the mesh: components, rules and mesh files. Workloads keep running and stay reachable. */
@Command(name = "uninstall", description = "Remove the mesh from the lab; workloads keep running.")
final class UninstallCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Option(names = "--context", paramLabel = "CTX",
      description = "Uninstall from the Kubernetes cluster of this kubeconfig context.")
  String context;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    if (context != null || "kind".equals(dev.meshctl.lab.LabStateView.provider(root.home().labDir(root.lab()))
        .orElse(""))) {
      dev.meshctl.install.kube.KubeInstallFlow.uninstall(java.util.Optional.ofNullable(context),
          root.terminal().out()::println);
      return;
    }
    new Installer(root.cluster()).uninstall(root.terminal()::progress).forEach(root.terminal().out()::println);
  }
}
