package dev.meshctl.workshops.check;

import java.time.Duration;

/** Runs a shell script and reports how it ended; the one place where checks touch processes. */
@FunctionalInterface
public interface CommandExecutor {

  /** Runs {@code script} with {@code bash -c}, giving up (and killing it) after {@code timeout}. */
  ExecResult run(String script, Duration timeout);
}
