package dev.meshctl.cli;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabSpec;
import dev.meshctl.lab.LabStatus;
import dev.meshctl.lab.LabStateView;
import dev.meshctl.lab.PodStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Brings labs up and down, lists them and reports their health. */
@Command(name = "lab", description = "Create, inspect and remove local clusters.",
    subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.ListLabs.class, LabCommand.Status.class,
        LabCaptureCommand.class})
final class LabCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(MeshctlCommand.root(spec).terminal().out());
  }

  @Command(name = "up", description = "Bring a lab up (idempotent).")
  static final class Up implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Lab name (default: the --lab value).")
    String name;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--provider", defaultValue = "netns",
        description = "Cluster provider: netns (default) or kind.")
    String provider;

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      String lab = name != null ? name : root.lab();
      LabSpec labSpec = new LabSpec(lab, nodes, provider);
      long start = System.nanoTime();
      Cluster cluster = root.providers().get(provider)
          .up(labSpec, root.home().labDir(lab), root.terminal()::progress);
      long ms = (System.nanoTime() - start) / 1_000_000;
      var out = root.terminal().out();
      out.printf("lab %s is up: %d nodes (%s) in %.1fs%n", cluster.name(), cluster.nodes().size(),
          cluster.provider(), ms / 1000.0);
      cluster.nodes().forEach(n -> out.printf("  %-8s %-14s pods %s%n", n.name(), n.ip(), n.podCidr()));
    }
  }

  @Command(name = "down", description = "Remove a lab and everything it created.")
  static final class Down implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Lab name (default: the --lab value).")
    String name;

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      String lab = name != null ? name : root.lab();
      var dir = root.home().labDir(lab);
      String provider = LabStateView.provider(dir).orElse("netns");
      root.providers().get(provider).down(lab, dir, root.terminal()::progress);
      root.terminal().out().println("lab " + lab + " removed");
    }
  }

  @Command(name = "list", description = "List labs.")
  static final class ListLabs implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      Table table = new Table("NAME", "PROVIDER", "NODES", "CREATED");
      for (String lab : root.home().labNames()) {
        var state = LabStateView.read(root.home().labDir(lab));
        table.row(lab, state.map(s -> s.provider()).orElse("?"),
            state.map(s -> Integer.toString(s.nodes().size())).orElse("?"),
            state.map(s -> s.createdAt()).orElse("(no state: `meshctl lab down --name " + lab + "`)"));
      }
      table.print(root.terminal().out());
    }
  }

  @Command(name = "status", description = "Show a lab's nodes and pods and their health.")
  static final class Status implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      LabStatus status = root.cluster().status();
      var out = root.terminal().out();
      out.printf("lab %s (%s): %s%n", status.name(), status.provider(), status.healthy() ? "healthy" : "DEGRADED");
      Table nodes = new Table("NODE", "STATUS", "ADDRESS", "POD CIDR", "NAMESPACE");
      for (LabStatus.NodeStatus n : status.nodes()) {
        nodes.row(n.node().name(), n.ready() ? "Ready" : "NotReady: " + n.problem(), n.node().ip(),
            n.node().podCidr(), n.node().netns());
      }
      nodes.print(out);
      out.println();
      Table pods = new Table("NAMESPACE", "POD", "NODE", "IP", "STATUS", "READY", "PID");
      List<String> problems = new ArrayList<>();
      for (PodStatus p : status.pods()) {
        pods.row(p.namespace(), p.name(), p.node(), p.ip(), p.phase(), p.ready() ? "1/1" : "0/1",
            Long.toString(p.pid()));
        if ("Failed".equals(p.phase())) {
          problems.add("pod " + p.namespace() + "/" + p.name() + " has exited: `meshctl logs " + p.name()
              + (p.namespace().equals("default") ? "" : " -n " + p.namespace())
              + "` shows why; `meshctl apply` restarts it");
        }
      }
      pods.print(out);
      problems.forEach(p -> root.terminal().err().println("‼ " + p));
      if (!status.healthy()) {
        throw new CliException(1, "lab " + status.name() + " is degraded");
      }
    }
  }

}
