package dev.meshctl.cli;

import dev.meshctl.install.Installer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Removes the mesh: components, rules and mesh files. Workloads keep running and stay reachable. */
@Command(name = "uninstall", description = "Remove the mesh from the lab; workloads keep running.")
final class UninstallCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    new Installer(root.cluster()).uninstall(root.terminal()::progress).forEach(root.terminal().out()::println);
  }
}
