package dev.meshctl.objects.store;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * Reports one change to the store.
 *
 * @param type what happened
 * @param object the object as stored; for DELETED, as it was last seen
 */
public record StoreEvent(Type type, HasMetadata object) {
  /** What happened to the object. */
  public enum Type { ADDED, MODIFIED, DELETED }

  public StoreEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
  }
}
