package dev.meshctl.cli;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a command inside a pod's network namespace and exits with its exit code. */
@Command(name = "exec", description = "Run a command in a pod's network (e.g. meshctl exec deploy/curl -- curl -s http://productpage:9080/).")
final class ExecCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Parameters(index = "0", paramLabel = "POD|deploy/NAME", description = "The pod to run in.")
  String target;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command (after --).")
  List<String> command;

  @Override
  public Integer call() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    Cluster cluster = root.cluster();
    String pod = cluster.resolvePod(namespace, target);
    ProcessBuilder pb = cluster.exec(namespace, pod, command).inheritIO();
    try {
      root.terminal().out().flush();
      return pb.start().waitFor();
    } catch (IOException e) {
      throw new LabException("cannot run " + command.get(0) + " in pod " + pod + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
