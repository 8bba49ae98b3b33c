package dev.meshctl.cli;

import dev.meshctl.install.InstallOptions;
import dev.meshctl.install.Installer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Installs the mesh on the lab: CA, control plane, one node agent per node. */
@Command(name = "install", description = "Install the mesh (control plane, CA, node agents) on the lab; idempotent.")
final class InstallCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--wait", description = "Also wait until every node agent has acknowledged its config.")
  boolean waitSynced;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for readiness (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--trust-domain", defaultValue = "cluster.local", description = "SPIFFE trust domain (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--ca-cert", paramLabel = "PEM", description = "Plug-in CA certificate (root or intermediate).")
  Path caCert;

  @Option(names = "--ca-key", paramLabel = "PEM", description = "Plug-in CA private key.")
  Path caKey;

  @Option(names = "--ca-chain", paramLabel = "PEM", description = "Chain from the plug-in intermediate to its root.")
  Path caChain;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    InstallOptions options = new InstallOptions(trustDomain, Optional.ofNullable(caCert), Optional.ofNullable(caKey),
        Optional.ofNullable(caChain), Duration.ofSeconds(timeoutSeconds), waitSynced);
    var out = root.terminal().out();
    new Installer(root.cluster()).install(options, line -> {
      out.println(line.startsWith("✔") ? root.terminal().mark("✔", true) + line.substring(1) : line);
      out.flush();
    }, root.terminal()::progress);
  }
}
