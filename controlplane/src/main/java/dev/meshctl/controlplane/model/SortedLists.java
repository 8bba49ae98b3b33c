package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Edits an index whose values are lists of objects sorted by {@code namespace/name} (pods of a node, Services of a
 * pod, ...): copies only the lists it touches, each once, and leaves the rest shared.
 */
final class SortedLists<T extends HasMetadata> {
  private final Map<String, List<T>> base;
  private final Map<String, ArrayList<T>> edited = new HashMap<>();

  SortedLists(Map<String, List<T>> base) {
    this.base = base;
  }

  /** Removes the object named {@code objectKey} from the list at {@code indexKey}, if there. */
  void remove(String indexKey, String objectKey) {
    ArrayList<T> list = writable(indexKey);
    int i = find(list, objectKey);
    if (i >= 0) {
      list.remove(i);
    }
  }

  /** Puts an object into the list at {@code indexKey}, replacing one of the same name. */
  void put(String indexKey, T object) {
    ArrayList<T> list = writable(indexKey);
    int i = find(list, MeshModel.key(object));
    if (i >= 0) {
      list.set(i, object);
    } else {
      list.add(-i - 1, object);
    }
  }

  /** Returns the edits to apply to the base: index key -> new list, or null where a list became empty. */
  Map<String, List<T>> changes() {
    Map<String, List<T>> out = new HashMap<>();
    edited.forEach((k, list) -> out.put(k, list.isEmpty() ? null : Collections.unmodifiableList(list)));
    return out;
  }

  private ArrayList<T> writable(String indexKey) {
    return edited.computeIfAbsent(indexKey, k -> new ArrayList<>(base.getOrDefault(k, List.of())));
  }

  // Binary search by namespace/name; as Collections.binarySearch, -(insertion point) - 1 when absent.
  private static int find(List<? extends HasMetadata> list, String key) {
    int lo = 0;
    int hi = list.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = MeshModel.key(list.get(mid)).compareTo(key);
      if (cmp < 0) {
        lo = mid + 1;
      } else if (cmp > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }
}
