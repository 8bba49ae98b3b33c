package dev.meshctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints meshctl's version. */
@Command(name = "version", description = "Print the meshctl version.")
final class VersionCommand implements Runnable {
  static final String VERSION = "0.1.0";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    MeshctlCommand.root(spec).terminal().out().println("meshctl " + VERSION);
  }

  /** Supplies {@code --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meshctl " + VERSION};
    }
  }
}
