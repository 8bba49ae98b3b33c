package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds which objects of a new input list were added, replaced or removed since the previous model's, by kind and
 * {@code namespace/name}.
 *
 * <p>Sources replace an object on update and never edit one in place, so the very same instance means unchanged:
 * most of a list is recognised by one identity lookup, without reading its metadata. A different instance with the
 * same uid and resourceVersion is unchanged too (an informer relist) and the previous one is kept. As in a fresh
 * build, the last of several objects with the same kind and name wins.
 */
final class ObjectDiff {

  /** Where an object is filed: its kind and {@code namespace/name} (a Namespace's name). */
  record Ref(ObjectKind kind, String key) {}

  private final IdentityHashMap<HasMetadata, Ref> ids;
  private final Map<ObjectKind, TreeMap<String, HasMetadata>> changes;
  private final List<String> warnings;
  private final int changeCount;

  private ObjectDiff(IdentityHashMap<HasMetadata, Ref> ids, Map<ObjectKind, TreeMap<String, HasMetadata>> changes,
      List<String> warnings, int changeCount) {
    this.ids = ids;
    this.changes = changes;
    this.warnings = warnings;
    this.changeCount = changeCount;
  }

  /**
   * Diffs {@code objects} against the previous model's inputs.
   *
   * @param previousIds the previous model's filed instances (never modified)
   * @param previous the previous model's objects by kind
   */
  static ObjectDiff of(IdentityHashMap<HasMetadata, Ref> previousIds,
      Map<ObjectKind, ? extends Map<String, HasMetadata>> previous,
      Collection<? extends HasMetadata> objects) {
    IdentityHashMap<HasMetadata, Ref> next = new IdentityHashMap<>(Math.max(16, objects.size()));
    Map<ObjectKind, TreeMap<String, HasMetadata>> changes = new EnumMap<>(ObjectKind.class);
    List<String> warnings = new ArrayList<>();
    Set<Ref> aliased = new HashSet<>();
    int hits = 0;
    for (HasMetadata o : objects) {
      Objects.requireNonNull(o, "objects contains null");
      Ref ref = previousIds.get(o);
      if (ref != null) {
        if (next.put(o, ref) == null) {
          hits++;
          TreeMap<String, HasMetadata> ofKind = changes.get(ref.kind());
          if (ofKind != null && ofKind.containsKey(ref.key())) {
            // An earlier object of the same name loses to this later one, as in a fresh build.
            HasMetadata earlier = ofKind.put(ref.key(), o);
            if (earlier != null && earlier != o) {
              next.remove(earlier);
            }
          }
        }
        continue;
      }
      if (next.containsKey(o)) {
        continue;
      }
      ref = file(o, warnings);
      if (ref == null) {
        continue;
      }
      HasMetadata old = objectsOf(previous, ref.kind()).get(ref.key());
      if (old != null && sameVersion(old, o)) {
        next.put(o, ref);
        aliased.add(ref);
        continue;
      }
      next.put(o, ref);
      HasMetadata earlier = changes.computeIfAbsent(ref.kind(), k -> new TreeMap<>()).put(ref.key(), o);
      if (earlier != null && earlier != o) {
        next.remove(earlier);
      } else if (old != null && next.get(old) != null) {
        next.remove(old);
      }
    }
    if (hits < previousIds.size() || !aliased.isEmpty()) {
      for (Map.Entry<HasMetadata, Ref> e : previousIds.entrySet()) {
        Ref ref = e.getValue();
        if (!next.containsKey(e.getKey()) && !aliased.contains(ref)) {
          TreeMap<String, HasMetadata> ofKind = changes.computeIfAbsent(ref.kind(), k -> new TreeMap<>());
          if (!ofKind.containsKey(ref.key())) {
            ofKind.put(ref.key(), null);
          }
        }
      }
    }
    // Drop "changes" that put back the very object the previous model holds.
    int count = 0;
    for (Map.Entry<ObjectKind, TreeMap<String, HasMetadata>> e : changes.entrySet()) {
      Map<String, HasMetadata> before = objectsOf(previous, e.getKey());
      e.getValue().entrySet().removeIf(c -> c.getValue() == null ? !before.containsKey(c.getKey())
          : before.get(c.getKey()) == c.getValue());
      count += e.getValue().size();
    }
    changes.values().removeIf(Map::isEmpty);
    return new ObjectDiff(next, changes, warnings, count);
  }

  private static Map<String, HasMetadata> objectsOf(Map<ObjectKind, ? extends Map<String, HasMetadata>> previous,
      ObjectKind kind) {
    Map<String, HasMetadata> objects = previous.get(kind);
    return objects == null ? Map.of() : objects;
  }

  // Returns where an object is filed, or null (with a warning when the object is unusable) when it is ignored.
  private static Ref file(HasMetadata o, List<String> warnings) {
    if (o.getMetadata() == null || o.getMetadata().getName() == null) {
      warnings.add(o.getKind() + " without metadata.name ignored: give every object a name");
      return null;
    }
    ObjectKind kind = ObjectKind.of(o);
    if (kind == null) {
      return null;
    }
    if (!kind.namespaced()) {
      return new Ref(kind, o.getMetadata().getName());
    }
    String ns = o.getMetadata().getNamespace();
    if (ns == null || ns.isEmpty()) {
      // Sources fill in the namespace; the model never edits objects it is given.
      warnings.add(o.getKind() + " " + o.getMetadata().getName() + " has no metadata.namespace and is ignored:"
          + " set its namespace");
      return null;
    }
    return new Ref(kind, ns + "/" + o.getMetadata().getName());
  }

  private static boolean sameVersion(HasMetadata a, HasMetadata b) {
    String uid = a.getMetadata().getUid();
    String version = a.getMetadata().getResourceVersion();
    return uid != null && version != null && uid.equals(b.getMetadata().getUid())
        && version.equals(b.getMetadata().getResourceVersion()) && a.getClass() == b.getClass();
  }

  /** Returns the filed instances of the new list, for the next diff. */
  IdentityHashMap<HasMetadata, Ref> ids() {
    return ids;
  }

  /** Returns the changes of a kind: {@code namespace/name} -> new object, or null when removed; sorted. */
  TreeMap<String, HasMetadata> changes(ObjectKind kind) {
    return changes.getOrDefault(kind, new TreeMap<>());
  }

  /** Tells whether any object of a kind changed. */
  boolean changed(ObjectKind kind) {
    return changes.containsKey(kind);
  }

  /** Returns how many objects changed. */
  int count() {
    return changeCount;
  }

  /** Returns the warnings about unusable objects, in list order. */
  List<String> warnings() {
    return warnings;
  }
}
