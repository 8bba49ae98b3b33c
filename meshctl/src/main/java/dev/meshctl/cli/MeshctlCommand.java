package dev.meshctl.cli;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabHome;
import dev.meshctl.lab.LabProviders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: lists the subcommands and holds the options every command shares. */
@Command(name = "meshctl", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Run an ambient service mesh on a local multi-node lab, and learn it through guided workshops.",
    subcommands = {
        LabCommand.class,
        ApplyCommand.class,
        DeleteCommand.class,
        GetCommand.class,
        ExecCommand.class,
        LogsCommand.class,
        MetricsCommand.class,
        LabelCommand.class,
        CheckCommand.class,
        InstallCommand.class,
        UninstallCommand.class,
        RestartCommand.class,
        StopCommand.class,
        WorkshopCommand.class,
        AgentConfigCommand.class,
        WaypointCommand.class,
        VersionCommand.class,
        ComponentCommand.class,
        CommandLine.HelpCommand.class,
        picocli.AutoComplete.GenerateCompletion.class})
public final class MeshctlCommand implements Runnable {
  private final Terminal terminal;

  @Option(names = "--lab", scope = ScopeType.INHERIT, paramLabel = "NAME",
      defaultValue = "${env:MESHCTL_LAB:-default}",
      description = "Lab to act on (env MESHCTL_LAB, default: ${DEFAULT-VALUE}).")
  String lab;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public MeshctlCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public void run() {
    spec.commandLine().usage(terminal.out());
  }

  Terminal terminal() {
    return terminal;
  }

  String lab() {
    return lab;
  }

  LabHome home() {
    return LabHome.fromEnvironment(terminal.env());
  }

  LabProviders providers() {
    return new LabProviders(home());
  }

  Cluster cluster() {
    return providers().open(lab);
  }

  /** Finds the root command from any subcommand's spec. */
  static MeshctlCommand root(CommandLine.Model.CommandSpec spec) {
    return (MeshctlCommand) spec.root().userObject();
  }
}
