package dev.meshctl.workshops.check;

import dev.meshctl.workshops.model.Check;
import dev.meshctl.workshops.model.Expect;
import dev.meshctl.workshops.model.Probe;
import java.util.List;
import java.util.Objects;

/** Runs a check: renders its templates, then probes and judges until one attempt passes or attempts run out. */
public final class CheckEngine {
  private final ProbeRunner probes;
  private final Sleeper sleeper;

  public CheckEngine(ProbeRunner probes, Sleeper sleeper) {
    this.probes = Objects.requireNonNull(probes, "probes");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** Runs {@code check} with {@code templates} filling its variables. */
  public CheckOutcome run(Check check, Templates templates) {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(templates, "templates");
    Probe probe;
    Expect expect;
    try {
      probe = templates.render(check.probe());
      expect = templates.render(check.expect());
    } catch (IllegalArgumentException e) {
      return new CheckOutcome(check, false, 0, List.of(e.getMessage()), null);
    }
    int attempts = check.retry().attempts();
    List<String> failures = List.of();
    ProbeResult result = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      result = probes.run(probe);
      failures = Expectations.failures(expect, result);
      if (failures.isEmpty()) {
        return new CheckOutcome(check, true, attempt, failures, result);
      }
      if (attempt < attempts) {
        try {
          sleeper.sleep(check.retry().pause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new CheckOutcome(check, false, attempt, failures, result);
        }
      }
    }
    return new CheckOutcome(check, false, attempts, failures, result);
  }
}
