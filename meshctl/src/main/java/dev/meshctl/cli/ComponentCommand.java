package dev.meshctl.cli;

import dev.meshctl.lab.sample.SampleApp;
import picocli.CommandLine.Command;

/** Runs a mesh component in this process (how the lab and container images start them); hidden from help. */
@Command(name = "component", hidden = true, description = "Run a component in the foreground.",
    subcommands = {ComponentCommand.SampleAppCommand.class, ControlPlaneComponent.class,
        NodeAgentComponent.class, NodeAgentCleanupComponent.class, LoadComponent.class, WaypointComponent.class})
final class ComponentCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException(2, "name a component: control-plane, node-agent, node-agent-cleanup, waypoint or sample-app");
  }

  @Command(name = "sample-app", description = "Run the sample application (configured by environment).")
  static final class SampleAppCommand implements Runnable {
    @Override
    public void run() {
      SampleApp.main(new String[0]);
    }
  }
}
