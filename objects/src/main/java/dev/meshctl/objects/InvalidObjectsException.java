package dev.meshctl.objects;

import java.util.List;
import java.util.stream.Collectors;

/** Refuses input that has one or more problems; nothing from the refused input may be applied. */
public final class InvalidObjectsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  /** Creates the exception; {@code problems} must not be empty. */
  public InvalidObjectsException(List<Problem> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  /** Returns every problem found, in input order. */
  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("BUG: InvalidObjectsException without problems");
    }
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
