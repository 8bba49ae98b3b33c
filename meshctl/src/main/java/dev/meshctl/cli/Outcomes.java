package dev.meshctl.cli;

import dev.meshctl.lab.Outcome;

/** Prints what a change did on stdout and what it could not do on stderr; a failure exits 1. */
final class Outcomes {
  private Outcomes() {}

  static void print(Terminal terminal, Outcome outcome) {
    outcome.done().forEach(terminal.out()::println);
    terminal.out().flush();
    if (!outcome.ok()) {
      outcome.failed().forEach(f -> terminal.err().println("error: " + f));
      terminal.err().flush();
      throw new CliException(1, outcome.failed().size() + " object(s) failed");
    }
  }
}
