package dev.meshctl.objects.validation;

import dev.meshctl.objects.FieldPath;
import java.util.ArrayList;
import java.util.List;

/** Collects the violations found while checking one object. */
public final class Findings {
  private final List<Violation> violations = new ArrayList<>();

  /** Records that {@code field} is wrong. */
  public void add(String field, String message) {
    violations.add(new Violation(field, message));
  }

  /** Records that a required {@code field} is absent or empty. */
  void required(String field) {
    add(field, "required");
  }

  /** Checks that {@code port} is 1..65535. */
  void port(String field, Integer port) {
    if (port == null) {
      required(field);
    } else if (port < 1 || port > 65535) {
      add(field, "must be a port number between 1 and 65535, got " + port);
    }
  }

  /** Checks a list element that YAML may have left null (e.g. a stray {@code -}). */
  boolean notNull(String parent, int index, Object element) {
    if (element == null) {
      add(FieldPath.index(parent, index), "empty list entry; remove the stray \"-\"");
      return false;
    }
    return true;
  }

  /** Returns what was found, in the order found. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }
}
