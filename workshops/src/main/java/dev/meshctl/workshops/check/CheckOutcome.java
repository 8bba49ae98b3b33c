package dev.meshctl.workshops.check;

import dev.meshctl.workshops.model.Check;
import java.util.List;

/**
 * How a check ended: passed or not, after how many attempts, what did not hold on the last attempt, and what the
 * probe saw then.
 */
public record CheckOutcome(Check check, boolean passed, int attempts, List<String> failures, ProbeResult last) {
  private static final int EXCERPT_LINES = 12;
  private static final int EXCERPT_CHARS = 1200;

  public CheckOutcome {
    failures = List.copyOf(failures);
  }

  /** Returns the start of the probe's output and its detail, short enough for a terminal or a report. */
  public String excerpt() {
    if (last == null) {
      return "";
    }
    String output = clip(last.output().strip());
    String detail = clip(last.detail().strip());
    return (output.isEmpty() ? "(no output)" : output) + (detail.isEmpty() ? "" : "\n" + detail);
  }

  static String clip(String text) {
    List<String> lines = text.lines().toList();
    String joined = String.join("\n", lines.subList(0, Math.min(lines.size(), EXCERPT_LINES)));
    if (joined.length() > EXCERPT_CHARS) {
      joined = joined.substring(0, EXCERPT_CHARS);
    }
    return joined.length() < text.length() ? joined + "\n…" : joined;
  }
}
