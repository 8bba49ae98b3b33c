package dev.meshctl.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * Holds one object read from YAML, with where it came from.
 *
 * @param source file name or {@code <stdin>}
 * @param document 1-based YAML document number within the source
 * @param object the decoded object
 */
public record ParsedObject(String source, int document, HasMetadata object) {
  public ParsedObject {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(object, "object");
  }

  /** Names the object for messages, e.g. {@code Deployment default/reviews-v1}. */
  public String describe() {
    return Kinds.describe(object);
  }
}
