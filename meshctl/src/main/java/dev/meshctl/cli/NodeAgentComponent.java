package dev.meshctl.cli;

import dev.meshctl.nodeagent.NodeAgent;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs the node agent in the foreground (its own options: see NodeAgentOptions). */
@Command(name = "node-agent", description = "Run the node agent (e.g. --node-name node-1 --control-plane HOST:15012 ...).")
final class NodeAgentComponent implements Runnable {
  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public void run() {
    NodeAgent.main(args.toArray(String[]::new));
  }
}
