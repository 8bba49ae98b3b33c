package dev.meshctl.workshops.check;

/** How a script ended: its exit code (124 after a timeout), what it printed, and whether it timed out. */
public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {
  public static final int TIMEOUT_EXIT = 124;

  public ExecResult {
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }

  /** Returns a normal result. */
  public static ExecResult of(int exitCode, String stdout, String stderr) {
    return new ExecResult(exitCode, stdout, stderr, false);
  }
}
