package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.model.Workshop;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How an unattended run of one workshop went, step by step (steps after a stop are skipped). */
public record RunReport(Workshop workshop, List<StepReport> steps) {
  public RunReport {
    Objects.requireNonNull(workshop, "workshop");
    steps = List.copyOf(steps);
  }

  /** Tells whether every step ran and passed. */
  public boolean passed() {
    return steps.stream().allMatch(StepReport::passed);
  }

  /** Returns the first step that ran and failed. */
  public Optional<StepReport> firstFailure() {
    return steps.stream().filter(s -> !s.skipped() && !s.passed()).findFirst();
  }

  /** Counts the checks that ran. */
  public int checksRun() {
    return steps.stream().mapToInt(s -> s.checks().size()).sum();
  }
}
