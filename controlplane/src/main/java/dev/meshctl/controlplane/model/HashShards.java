package dev.meshctl.controlplane.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Holds an immutable, unordered map split into {@value #SHARDS} shards by key hash, so that a new version with a
 * few keys changed copies only the shards those keys fall in and shares the rest.
 *
 * <p>For the model's lookup indexes (label index, Service selections), which translation reads once per pod and
 * which a change touches in a few places.
 */
final class HashShards<V> extends AbstractMap<String, V> {
  static final int SHARDS = 64;

  private static final HashShards<?> EMPTY = new HashShards<>(emptyShards(), 0);

  private final Map<String, V>[] shards;
  private final int size;
  private Set<Map.Entry<String, V>> entrySet;

  private HashShards(Map<String, V>[] shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <V> HashShards<V> empty() {
    return (HashShards<V>) EMPTY;
  }

  /** Returns a map holding exactly {@code entries} (null values are left out). */
  static <V> HashShards<V> of(Map<String, V> entries) {
    return HashShards.<V>empty().with(entries);
  }

  /**
   * Returns a map with {@code changes} applied: a key mapped to null is removed, any other is put. Returns this
   * map when nothing differs.
   */
  HashShards<V> with(Map<String, V> changes) {
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      return this;
    }
    @SuppressWarnings("unchecked")
    HashMap<String, V>[] copies = new HashMap[SHARDS];
    int nextSize = size;
    for (Map.Entry<String, V> e : changes.entrySet()) {
      int i = shard(e.getKey());
      V old = (copies[i] != null ? copies[i] : shards[i]).get(e.getKey());
      if (e.getValue() == null) {
        if (old != null) {
          writable(copies, i).remove(e.getKey());
          nextSize--;
        }
      } else if (old != e.getValue()) {
        writable(copies, i).put(e.getKey(), e.getValue());
        nextSize += old == null ? 1 : 0;
      }
    }
    Map<String, V>[] next = null;
    for (int i = 0; i < SHARDS; i++) {
      if (copies[i] != null) {
        next = next == null ? shards.clone() : next;
        next[i] = copies[i].isEmpty() ? Map.of() : Collections.unmodifiableMap(copies[i]);
      }
    }
    return next == null ? this : new HashShards<>(next, nextSize);
  }

  @Override
  public V get(Object key) {
    return key instanceof String k ? shards[shard(k)].get(k) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String k && shards[shard(k)].containsKey(k);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    if (entrySet == null) {
      entrySet = new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, V>> iterator() {
          return new Entries();
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
    return entrySet;
  }

  /** Tells whether the shard holding {@code key} is the very same map in {@code other} (for tests). */
  boolean sharesShardOf(String key, HashShards<V> other) {
    return shards[shard(key)] == other.shards[shard(key)];
  }

  private HashMap<String, V> writable(HashMap<String, V>[] copies, int i) {
    if (copies[i] == null) {
      copies[i] = new HashMap<>(shards[i]);
    }
    return copies[i];
  }

  private static int shard(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16) ^ (h >>> 8)) & (SHARDS - 1);
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V>[] emptyShards() {
    Map<String, V>[] shards = new Map[SHARDS];
    Arrays.fill(shards, Map.of());
    return shards;
  }

  /** Walks the shards in turn; read-only. */
  private final class Entries implements Iterator<Map.Entry<String, V>> {
    private int next;
    private Iterator<Map.Entry<String, V>> current = Collections.emptyIterator();

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && next < SHARDS) {
        current = shards[next++].entrySet().iterator();
      }
      return current.hasNext();
    }

    @Override
    public Map.Entry<String, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return new SimpleImmutableEntry<>(current.next());
    }
  }
}
