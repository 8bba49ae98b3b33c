package dev.meshctl.objects.istio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Normalizes absent collections to empty ones so that callers never test for null. */
final class Lists {
  private Lists() {}

  // Null elements are kept (List.copyOf would throw during parsing); the validator reports them by index.
  static <T> List<T> of(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }

  static <K, V> Map<K, V> of(Map<K, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
