package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.check.CheckOutcome;
import dev.meshctl.workshops.model.Step;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one step went: its checks' outcomes, or nothing when it was skipped, and the values its checks saved.
 *
 * @param number the step's 1-based position
 */
public record StepReport(int number, Step step, List<CheckOutcome> checks, boolean skipped,
    Map<String, String> saved) {

  public StepReport {
    Objects.requireNonNull(step, "step");
    checks = List.copyOf(checks);
    saved = Map.copyOf(saved);
  }

  /** Returns a report for a step that never ran. */
  public static StepReport skipped(int number, Step step) {
    return new StepReport(number, step, List.of(), true, Map.of());
  }

  /** Tells whether the step ran and every check passed. */
  public boolean passed() {
    return !skipped && checks.stream().allMatch(CheckOutcome::passed);
  }

  /** Counts the failed checks. */
  public long failedChecks() {
    return checks.stream().filter(c -> !c.passed()).count();
  }
}
