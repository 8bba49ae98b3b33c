package dev.meshctl.objects.validation;

import java.util.Objects;

/**
 * Says what is wrong with one field of an object.
 *
 * @param field path such as {@code spec.ports[0].port}; null when the object as a whole is wrong
 * @param message what is wrong and, where useful, what to do
 */
public record Violation(String field, String message) {
  public Violation {
    Objects.requireNonNull(message, "message");
  }
}
