package dev.meshctl.cli;

import dev.meshctl.nodeagent.capture.CaptureInstaller;
import dev.meshctl.nodeagent.capture.ProcessRunner;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Removes every capture rule a node agent installs in this network namespace, by name, whether or not an agent is
 * running or crashed; used by {@code meshctl uninstall}.
 */
@Command(name = "node-agent-cleanup", description = "Remove the node agent's capture rules from this network namespace.")
final class NodeAgentCleanupComponent implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<List<String>> removed = CaptureInstaller.removeAll(new ProcessRunner());
    MeshctlCommand.root(spec).terminal().out().println("removed " + removed.size() + " rule(s)");
    return 0;
  }
}
