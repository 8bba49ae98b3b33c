package dev.meshctl.controlplane.model;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * Holds an immutable map sorted by key, split into shards of consecutive keys, so that a new version with a few
 * keys changed copies only the shards those keys fall in (and the small array of shards) and shares the rest.
 *
 * <p>The model keeps every pod sorted by {@code namespace/name}; re-sorting 10k pods for each changed one would
 * make every change cost as much as the first build.
 */
final class SortedShards<V> extends AbstractMap<String, V> {
  /** A shard that grows past this splits in two halves. */
  static final int MAX_SHARD = 128;

  private static final SortedShards<?> EMPTY = new SortedShards<>(new String[0][], new Object[0][], 0);

  // Shard i holds keys[i] (sorted, never empty) and their values; every key of shard i sorts before shard i+1's.
  private final String[][] keys;
  private final Object[][] values;
  private final int size;
  private Set<Map.Entry<String, V>> entrySet;
  private Collection<V> valueView;

  private SortedShards(String[][] keys, Object[][] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <V> SortedShards<V> empty() {
    return (SortedShards<V>) EMPTY;
  }

  /**
   * Returns a map with {@code changes} applied: a key mapped to null is removed, any other is put. Returns this
   * map when nothing differs.
   */
  SortedShards<V> with(SortedMap<String, V> changes) {
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      return this;
    }
    List<String[]> nextKeys = new ArrayList<>(keys.length + 2);
    List<Object[]> nextValues = new ArrayList<>(values.length + 2);
    Iterator<Map.Entry<String, V>> pending = changes.entrySet().iterator();
    Map.Entry<String, V> change = pending.next();
    int nextSize = size;
    boolean changed = false;
    for (int s = 0; s < keys.length; s++) {
      // Changes that sort before the next shard's first key belong to this shard.
      String bound = s + 1 < keys.length ? keys[s + 1][0] : null;
      if (change == null || (bound != null && change.getKey().compareTo(bound) >= 0)) {
        nextKeys.add(keys[s]);
        nextValues.add(values[s]);
        continue;
      }
      List<String> k = new ArrayList<>(keys[s].length + 4);
      List<Object> v = new ArrayList<>(keys[s].length + 4);
      int i = 0;
      while (change != null && (bound == null || change.getKey().compareTo(bound) < 0)) {
        while (i < keys[s].length && keys[s][i].compareTo(change.getKey()) < 0) {
          k.add(keys[s][i]);
          v.add(values[s][i]);
          i++;
        }
        boolean present = i < keys[s].length && keys[s][i].equals(change.getKey());
        if (change.getValue() == null) {
          if (present) {
            i++;
            nextSize--;
            changed = true;
          }
        } else {
          if (present) {
            changed |= values[s][i] != change.getValue();
            i++;
          } else {
            nextSize++;
            changed = true;
          }
          k.add(change.getKey());
          v.add(change.getValue());
        }
        change = pending.hasNext() ? pending.next() : null;
      }
      for (; i < keys[s].length; i++) {
        k.add(keys[s][i]);
        v.add(values[s][i]);
      }
      split(k, v, nextKeys, nextValues);
    }
    if (keys.length == 0) {
      List<String> k = new ArrayList<>(changes.size());
      List<Object> v = new ArrayList<>(changes.size());
      changes.forEach((key, value) -> {
        if (value != null) {
          k.add(key);
          v.add(value);
        }
      });
      nextSize = k.size();
      changed = nextSize > 0;
      split(k, v, nextKeys, nextValues);
    }
    if (!changed) {
      return this;
    }
    return new SortedShards<>(nextKeys.toArray(new String[0][]), nextValues.toArray(new Object[0][]), nextSize);
  }

  // Adds the merged entries of one old shard as one or more shards (none when empty).
  private static void split(List<String> k, List<Object> v, List<String[]> outKeys, List<Object[]> outValues) {
    int n = k.size();
    if (n == 0) {
      return;
    }
    int parts = n <= MAX_SHARD ? 1 : (n + MAX_SHARD / 2 - 1) / (MAX_SHARD / 2);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      outKeys.add(k.subList(from, to).toArray(new String[0]));
      outValues.add(v.subList(from, to).toArray());
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    if (!(key instanceof String k)) {
      return null;
    }
    int s = shard(k);
    if (s < 0) {
      return null;
    }
    int i = Arrays.binarySearch(keys[s], k);
    return i < 0 ? null : (V) values[s][i];
  }

  @Override
  public boolean containsKey(Object key) {
    if (!(key instanceof String k)) {
      return false;
    }
    int s = shard(k);
    return s >= 0 && Arrays.binarySearch(keys[s], k) >= 0;
  }

  @Override
  public int size() {
    return size;
  }

  /** Calls {@code action} for every entry whose key starts with {@code prefix}, in key order. */
  @SuppressWarnings("unchecked")
  void forEachWithPrefix(String prefix, BiConsumer<String, V> action) {
    int s = Math.max(0, shard(prefix));
    for (; s < keys.length; s++) {
      int i = Arrays.binarySearch(keys[s], prefix);
      for (i = i < 0 ? -i - 1 : i; i < keys[s].length; i++) {
        if (!keys[s][i].startsWith(prefix)) {
          return;
        }
        action.accept(keys[s][i], (V) values[s][i]);
      }
    }
  }

  /** Returns the number of shards (for tests of structural sharing). */
  int shards() {
    return keys.length;
  }

  /** Tells whether the shard holding {@code key} is the very same array in {@code other} (for tests). */
  boolean sharesShardOf(String key, SortedShards<V> other) {
    int s = shard(key);
    int o = other.shard(key);
    return s >= 0 && o >= 0 && keys[s] == other.keys[o];
  }

  // Returns the shard whose range holds the key: the last shard whose first key is <= it; -1 before all.
  private int shard(String key) {
    int lo = 0;
    int hi = keys.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (keys[mid][0].compareTo(key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  @Override
  public Collection<V> values() {
    if (valueView == null) {
      valueView = new AbstractCollection<>() {
        @Override
        public Iterator<V> iterator() {
          return new Walk<>(false);
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
    return valueView;
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    if (entrySet == null) {
      entrySet = new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, V>> iterator() {
          return new Walk<>(true);
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
    return entrySet;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<? super String, ? super V> action) {
    for (int s = 0; s < keys.length; s++) {
      for (int i = 0; i < keys[s].length; i++) {
        action.accept(keys[s][i], (V) values[s][i]);
      }
    }
  }

  /** Walks the shards in key order, yielding entries or values; read-only. */
  private final class Walk<T> implements Iterator<T> {
    private final boolean entries;
    private int shard;
    private int index;

    Walk(boolean entries) {
      this.entries = entries;
    }

    @Override
    public boolean hasNext() {
      while (shard < keys.length && index >= keys[shard].length) {
        shard++;
        index = 0;
      }
      return shard < keys.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = index++;
      Object value = values[shard][i];
      return (T) (entries ? new SimpleImmutableEntry<>(keys[shard][i], value) : value);
    }
  }
}
