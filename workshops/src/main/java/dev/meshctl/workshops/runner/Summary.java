package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.render.Console;

/** Writes the one closing line of a run: {@code ✔ 7 steps, 23 checks passed} or which step failed. */
public final class Summary {
  private Summary() {}

  /** Returns the summary of {@code report}, with marks from {@code console}. */
  public static String line(RunReport report, Console console) {
    if (report.passed()) {
      int steps = report.steps().size();
      int checks = report.checksRun();
      return console.pass() + " " + steps + " step" + (steps == 1 ? "" : "s") + ", " + checks + " check"
          + (checks == 1 ? "" : "s") + " passed";
    }
    StepReport first = report.firstFailure().orElseThrow(
        () -> new IllegalStateException("BUG: a failed run without a failed step"));
    long failedSteps = report.steps().stream().filter(s -> !s.skipped() && !s.passed()).count();
    String line = console.fail() + " step " + first.number() + " \"" + first.step().title() + "\" failed: "
        + first.failedChecks() + " of " + first.checks().size() + " check" + (first.checks().size() == 1 ? "" : "s");
    if (failedSteps > 1) {
      line += " (" + failedSteps + " of " + report.steps().size() + " steps failed)";
    }
    long skipped = report.steps().stream().filter(StepReport::skipped).count();
    if (skipped > 0) {
      line += "; " + skipped + " step" + (skipped == 1 ? "" : "s") + " not run";
    }
    return line;
  }
}
