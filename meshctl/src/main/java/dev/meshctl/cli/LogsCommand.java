package dev.meshctl.cli;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a pod's log. */
@Command(name = "logs", description = "Print the log of a pod.")
final class LogsCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--tail", defaultValue = "-1", description = "Lines from the end to show (-1: all).")
  int tail;

  @Parameters(index = "0", paramLabel = "POD|deploy/NAME")
  String target;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    Cluster cluster = root.cluster();
    String pod = cluster.resolvePod(namespace, target);
    Path log = cluster.logs(namespace, pod);
    if (!Files.exists(log)) {
      throw new LabException("pod " + pod + " has no log yet (" + log + ")");
    }
    try {
      List<String> lines = Files.readAllLines(log);
      int from = tail < 0 ? 0 : Math.max(0, lines.size() - tail);
      lines.subList(from, lines.size()).forEach(root.terminal().out()::println);
      root.terminal().out().flush();
    } catch (IOException e) {
      throw new LabException("cannot read " + log + ": " + e.getMessage(), e);
    }
  }
}
