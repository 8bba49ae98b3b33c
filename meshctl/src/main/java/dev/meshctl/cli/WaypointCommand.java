package dev.meshctl.cli;

import dev.meshctl.install.Waypoints;
import dev.meshctl.install.WaypointsManifests;
import dev.meshctl.install.WaypointsSpec;
import dev.meshctl.install.WaypointsStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Manages waypoints as {@code istioctl waypoint} does: apply, generate, list, delete, status. */
@Command(name = "waypoint", description = "Manage waypoint proxies (L7 for the services bound to them).",
    subcommands = {WaypointCommand.Apply.class, WaypointCommand.Generate.class, WaypointCommand.ListWaypoints.class,
        WaypointCommand.Delete.class, WaypointCommand.Status.class})
final class WaypointCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(MeshctlCommand.root(spec).terminal().out());
  }

  /** The options that describe one waypoint. */
  static final class Target {
    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--name", description = "Waypoint name (default: waypoint, or waypoint-<SA> with --service-account).")
    String name;

    @Option(names = "--for", defaultValue = "service",
        description = "Traffic the waypoint takes: service, workload, all, none (default: ${DEFAULT-VALUE}).")
    String waypointFor;

    @Option(names = "--service-account", paramLabel = "SA", description = "Serve only this service account's workloads.")
    String serviceAccount;

    WaypointsSpec spec() {
      try {
        return WaypointsSpec.of(namespace, Optional.ofNullable(name), waypointFor, Optional.ofNullable(serviceAccount));
      } catch (IllegalArgumentException e) {
        throw new CliException(2, e.getMessage());
      }
    }
  }

  @Command(name = "generate", description = "Print the waypoint's Gateway YAML.")
  static final class Generate implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Target target = new Target();

    @Override
    public void run() {
      PrintWriter out = MeshctlCommand.root(spec).terminal().out();
      out.print(WaypointsManifests.gateway(target.spec()));
      out.flush();
    }
  }

  @Command(name = "apply", description = "Deploy a waypoint on the lab (needs `meshctl install`).")
  static final class Apply implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Target target = new Target();

    @Option(names = "--enroll-namespace", description = "Label the namespace istio.io/use-waypoint=<name>.")
    boolean enrollNamespace;

    @Option(names = "--overwrite", description = "Replace an existing istio.io/use-waypoint label of the namespace.")
    boolean overwrite;

    @Option(names = "--wait", description = "Wait until the waypoint's pod is ready.")
    boolean await;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds --wait waits (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      WaypointsSpec s = target.spec();
      List<String> lines = new Waypoints(root.cluster()).apply(s, enrollNamespace, overwrite,
          await ? Optional.of(Duration.ofSeconds(timeoutSeconds)) : Optional.empty(), root.terminal()::progress);
      PrintWriter out = root.terminal().out();
      lines.forEach(out::println);
      out.flush();
    }
  }

  @Command(name = "list", description = "List waypoints: NAME REVISION PROGRAMMED.")
  static final class ListWaypoints implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "List waypoints of every namespace.")
    boolean all;

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      List<Waypoints.Row> rows = new Waypoints(root.cluster()).list(all ? null : namespace);
      PrintWriter out = root.terminal().out();
      if (rows.isEmpty()) {
        out.println(all ? "No waypoints found." : "No waypoints found in namespace " + namespace + ".");
        out.flush();
        return;
      }
      Table t = all ? new Table("NAMESPACE", "NAME", "REVISION", "PROGRAMMED")
          : new Table("NAME", "REVISION", "PROGRAMMED");
      for (Waypoints.Row r : rows) {
        String programmed = r.programmed() ? "True" : "False";
        if (all) {
          t.row(r.namespace(), r.name(), r.revision(), programmed);
        } else {
          t.row(r.name(), r.revision(), programmed);
        }
      }
      t.print(out);
    }
  }

  @Command(name = "delete", description = "Delete waypoints and revoke their tokens.")
  static final class Delete implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--all", description = "Delete every waypoint of the namespace.")
    boolean all;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Waypoints to delete (default: waypoint).")
    List<String> names = new ArrayList<>();

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      Waypoints waypoints = new Waypoints(root.cluster());
      List<String> targets = new ArrayList<>(names);
      if (all) {
        waypoints.list(namespace).forEach(r -> targets.add(r.name()));
      } else if (targets.isEmpty()) {
        targets.add(WaypointsSpec.DEFAULT_NAME);
      }
      PrintWriter out = root.terminal().out();
      for (String name : targets) {
        waypoints.delete(namespace, name, root.terminal()::progress).forEach(out::println);
      }
      out.flush();
    }
  }

  @Command(name = "status", description = "Show what is bound to waypoints and whether traffic goes through them.")
  static final class Status implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Waypoints of every namespace.")
    boolean all;

    @Option(names = "--name", description = "Only this waypoint.")
    String name;

    @Override
    public void run() {
      MeshctlCommand root = MeshctlCommand.root(spec);
      List<WaypointsStatus.Binding> bindings = new Waypoints(root.cluster()).status(all ? null : namespace, name);
      PrintWriter out = root.terminal().out();
      if (bindings.isEmpty()) {
        out.println("Nothing is bound to a waypoint" + (all ? "." : " of namespace " + namespace + ".")
            + " Bind with `meshctl waypoint apply --enroll-namespace` or label a service istio.io/use-waypoint=NAME.");
        out.flush();
        return;
      }
      Table t = new Table("WAYPOINT", "KIND", "NAME", "READY", "REASON");
      for (WaypointsStatus.Binding b : bindings) {
        t.row(b.waypoint(), b.subject().toLowerCase(java.util.Locale.ROOT), b.namespace() + "/" + b.name(),
            b.ready() ? "True" : "False", b.reason());
      }
      t.print(out);
    }
  }
}
