package dev.meshctl.objects;

import java.util.Objects;

/**
 * Says what is wrong with one part of the input.
 *
 * @param source file name, {@code <stdin>} or another label for where the text came from
 * @param document 1-based YAML document number in the source, 0 when the problem concerns the whole source
 * @param object the object, e.g. {@code Deployment default/reviews-v1}; null when it could not be identified
 * @param field path to the field, e.g. {@code spec.template.spec.containers[0].image}; null for the whole object
 * @param message what is wrong and, where useful, what to do about it
 */
public record Problem(String source, int document, String object, String field, String message) {
  public Problem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  /** Renders the problem on one line: {@code x.yaml (document 2): Deployment default/a: spec.replicas: ...}. */
  @Override
  public String toString() {
    StringBuilder line = new StringBuilder(source);
    if (document > 0) {
      line.append(" (document ").append(document).append(')');
    }
    line.append(": ");
    if (object != null) {
      line.append(object).append(": ");
    }
    if (field != null && !field.isEmpty()) {
      line.append(field).append(": ");
    }
    return line.append(message).toString();
  }
}
