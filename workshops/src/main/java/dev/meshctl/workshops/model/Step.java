package dev.meshctl.workshops.model;

import java.util.List;
import java.util.Objects;

/**
 * One step: instructions (markdown; in YAML the path of a file under {@code steps/}), the commands a person types,
 * and the checks that prove the step worked.
 */
public record Step(String id, String title, String instructions, List<String> commands, List<Check> checks) {

  public Step {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    instructions = instructions == null ? "" : instructions;
    commands = commands == null ? List.of() : List.copyOf(commands);
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  /** Returns this step with its instructions replaced (the loader swaps a file path for the file's text). */
  public Step withInstructions(String text) {
    return new Step(id, title, text, commands, checks);
  }
}
