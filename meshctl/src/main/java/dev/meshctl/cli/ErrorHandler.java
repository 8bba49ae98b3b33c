package dev.meshctl.cli;

import dev.meshctl.lab.LabException;
import dev.meshctl.objects.InvalidObjectsException;
import picocli.CommandLine;

/** Turns exceptions into an error message on stderr and exit code 1; impossible states print "BUG:" and a trace. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  private final Terminal terminal;

  ErrorHandler(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    if (ex instanceof CommandLine.ParameterException usage) {
      terminal.err().println("error: " + usage.getMessage());
      terminal.err().println("see `" + usage.getCommandLine().getCommandSpec().qualifiedName() + " --help`");
      terminal.err().flush();
      return 2;
    }
    if (ex instanceof InvalidObjectsException invalid) {
      terminal.err().println("error: refused, nothing was applied:");
      invalid.problems().forEach(p -> terminal.err().println("  " + p));
    } else if (ex instanceof LabException || ex instanceof CliException) {
      terminal.err().println("error: " + ex.getMessage());
    } else {
      terminal.err().println("error: BUG: " + ex);
      ex.printStackTrace(terminal.err());
    }
    terminal.err().flush();
    return exitCode(ex);
  }

  static int exitCode(Throwable t) {
    if (t instanceof CommandLine.ParameterException) {
      return 2;
    }
    if (t instanceof CliException c) {
      return c.exitCode();
    }
    return 1;
  }
}
