package dev.meshctl.cli;

import picocli.CommandLine;

/** Starts meshctl. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code: 0 ok, 1 failure, 2 usage. */
  public static int run(String... args) {
    return commandLine(Terminal.system()).execute(args);
  }

  /** Builds the command line with its error handling; tests pass their own terminal. */
  public static CommandLine commandLine(Terminal terminal) {
    CommandLine cl = new CommandLine(new MeshctlCommand(terminal));
    cl.setOut(terminal.out());
    cl.setErr(terminal.err());
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(
        terminal.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cl.setExecutionExceptionHandler(new ErrorHandler(terminal));
    cl.setExitCodeExceptionMapper(ErrorHandler::exitCode);
    return cl;
  }
}
