package dev.meshctl.cli;

import dev.meshctl.install.Installer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Stops the control plane for an outage drill; `meshctl install` brings it back. */
@Command(name = "stop", description = {
    "Stop the control plane (outage drill): node agents keep serving with their last config and certificates.",
    "  meshctl stop control-plane      then `meshctl install` or `meshctl restart control-plane` brings it back"})
final class StopCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "COMPONENT", description = "control-plane.")
  String component;

  @Override
  public void run() {
    if (!"control-plane".equals(component)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown component \"" + component
          + "\": only control-plane can be stopped (node agents restart with `meshctl restart node-agent`;"
          + " `meshctl uninstall` removes the mesh)");
    }
    MeshctlCommand root = MeshctlCommand.root(spec);
    var out = root.terminal().out();
    for (String line : new Installer(root.cluster()).stopControlPlane(root.terminal()::progress)) {
      out.println(line.startsWith("✔") ? root.terminal().mark("✔", true) + line.substring(1) : line);
    }
    out.flush();
  }
}
