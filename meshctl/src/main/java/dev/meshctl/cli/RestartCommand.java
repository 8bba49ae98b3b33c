package dev.meshctl.cli;

import dev.meshctl.install.Installer;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Restarts mesh components without dropping traffic: node agents by a rolling hand-off (one node at a time, each
 * waiting for the new agent to be ready), the control plane by stop and start (agents serve their last config
 * meanwhile and resync).
 */
@Command(name = "restart", description = {
    "Restart node agents (rolling hand-off: established connections survive) or the control plane.",
    "  meshctl restart node-agent [--node NODE]   every node one at a time, or one node",
    "  meshctl restart control-plane              agents keep serving, then reconnect and resync"})
final class RestartCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "COMPONENT", description = "node-agent or control-plane.")
  String component;

  @Option(names = "--node", paramLabel = "NODE", description = "Only this node's agent (node-agent only).")
  String node;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for readiness (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    Installer installer = new Installer(root.cluster());
    var out = root.terminal().out();
    java.util.function.Consumer<String> report = line -> {
      out.println(line.startsWith("✔") ? root.terminal().mark("✔", true) + line.substring(1) : line);
      out.flush();
    };
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    switch (component) {
      case "node-agent", "node-agents" -> {
        installer.restartNodeAgents(Optional.ofNullable(node), timeout, report, root.terminal()::progress);
        report.accept("restart complete");
      }
      case "control-plane" -> {
        if (node != null) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--node applies to node-agent only");
        }
        installer.restartControlPlane(timeout, report, root.terminal()::progress);
        report.accept("restart complete");
      }
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown component \"" + component
          + "\": use node-agent or control-plane");
    }
  }
}
