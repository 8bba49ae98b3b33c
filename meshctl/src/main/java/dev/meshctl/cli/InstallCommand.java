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

  @Option(names = "--workload-cert-ttl", paramLabel = "TTL", description = "Lifetime of workload certificates, e.g. 2m"
      + " or 24h (at least 2m; renewed at half-life). On an installed mesh, running node agents are restarted one at a"
      + " time to apply it.")
  String workloadCertTtl;

  @Option(names = "--context", paramLabel = "CTX", description = "Install on the Kubernetes cluster of this kubeconfig context.")
  String context;

  @Option(names = "--dry-run", description = "Print the Kubernetes manifests instead of installing (with -o yaml).")
  boolean dryRun;

  @Option(names = {"-o", "--output"}, defaultValue = "yaml", description = "Output of --dry-run: yaml.")
  String output;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    if (dryRun) {
      if (!"yaml".equals(output)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--dry-run prints yaml: use -o yaml");
      }
      root.terminal().out().print(dev.meshctl.install.kube.KubeInstallFlow.render());
      root.terminal().out().flush();
      return;
    }
    if (context != null || "kind".equals(dev.meshctl.lab.LabStateView.provider(root.home().labDir(root.lab()))
        .orElse(""))) {
      java.util.Optional<dev.meshctl.lab.Cluster> lab = context == null
          ? java.util.Optional.of(root.cluster()) : java.util.Optional.empty();
      if (workloadCertTtl != null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--workload-cert-ttl applies to the netns lab; on Kubernetes set the node agent's --workload-cert-ttl");
      }
      dev.meshctl.install.kube.KubeInstallFlow.install(lab, java.util.Optional.ofNullable(context),
          dev.meshctl.install.kube.KubeInstallFlow.options(trustDomain, Optional.ofNullable(caCert),
              Optional.ofNullable(caKey), Optional.ofNullable(caChain)),
          Duration.ofSeconds(timeoutSeconds), root.terminal().out()::println, root.terminal()::progress);
      return;
    }
    Optional<Duration> ttl;
    try {
      ttl = Optional.ofNullable(workloadCertTtl)
          .map(v -> dev.meshctl.nodeagent.NodeAgentOptions.checkWorkloadCertTtl(
              dev.meshctl.nodeagent.NodeAgentOptions.parseDuration("--workload-cert-ttl", v)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--workload-cert-ttl: " + e.getMessage());
    }
    InstallOptions options = new InstallOptions(trustDomain, Optional.ofNullable(caCert), Optional.ofNullable(caKey),
        Optional.ofNullable(caChain), Duration.ofSeconds(timeoutSeconds), waitSynced, ttl);
    var out = root.terminal().out();
    new Installer(root.cluster()).install(options, line -> {
      out.println(line.startsWith("✔") ? root.terminal().mark("✔", true) + line.substring(1) : line);
      out.flush();
    }, root.terminal()::progress);
  }
}
