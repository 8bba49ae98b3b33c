package dev.meshctl.workshops.model;

import java.util.List;
import java.util.Objects;

/**
 * One guided lab: what it teaches, what it needs, and its steps in order.
 *
 * @param name the folder name, e.g. {@code 01-ambient-basics}; the name people type
 * @param files files shipped beside the workshop (YAML it applies), relative to its folder
 */
public record Workshop(String name, String title, String summary, Prerequisites prerequisites, List<String> files,
    List<Step> steps) {

  public Workshop {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(title, "title");
    summary = summary == null ? "" : summary;
    prerequisites = prerequisites == null ? Prerequisites.NONE : prerequisites;
    files = files == null ? List.of() : List.copyOf(files);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** Returns the step at {@code index} (0-based). */
  public Step step(int index) {
    return steps.get(index);
  }

  /** Counts the checks of every step. */
  public int checkCount() {
    return steps.stream().mapToInt(s -> s.checks().size()).sum();
  }
}
