package dev.meshctl.core.config;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Holds an immutable map split into {@value #SHARDS} shards by key hash, so that a new version with a few keys
 * changed copies only the shards those keys fall in and shares the rest with the old version.
 *
 * <p>A node agent holds every Workload of the mesh; copying 10k entries for each changed Workload would make
 * every update cost as much as a full resync.
 */
final class ShardedMap<V> extends AbstractMap<String, V> {
  static final int SHARDS = 64;

  private static final ShardedMap<?> EMPTY = new ShardedMap<>(emptyShards(), 0);

  private final Map<String, V>[] shards;
  private final int size;
  private Set<Map.Entry<String, V>> entrySet;

  private ShardedMap(Map<String, V>[] shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  /** Returns the empty map. */
  @SuppressWarnings("unchecked")
  static <V> ShardedMap<V> empty() {
    return (ShardedMap<V>) EMPTY;
  }

  /** Returns a map with {@code removed} taken out, then {@code put} put in; this map when nothing differs. */
  ShardedMap<V> with(Map<String, V> put, Collection<String> removed) {
    Objects.requireNonNull(put, "put");
    Objects.requireNonNull(removed, "removed");
    Map<String, V>[] next = shards.clone();
    @SuppressWarnings("unchecked")
    HashMap<String, V>[] copies = new HashMap[SHARDS];
    int nextSize = size;
    for (String key : removed) {
      int i = shard(key);
      if (next[i].containsKey(key)) {
        writable(copies, next, i).remove(key);
        nextSize--;
      }
    }
    for (Map.Entry<String, V> e : put.entrySet()) {
      int i = shard(e.getKey());
      V old = next[i].get(e.getKey());
      if (old == null || !old.equals(e.getValue())) {
        if (writable(copies, next, i).put(e.getKey(), e.getValue()) == null) {
          nextSize++;
        }
      }
    }
    boolean changed = false;
    for (int i = 0; i < SHARDS; i++) {
      if (copies[i] != null) {
        next[i] = copies[i].isEmpty() ? Map.of() : Collections.unmodifiableMap(copies[i]);
        changed = true;
      }
    }
    return changed ? new ShardedMap<>(next, nextSize) : this;
  }

  /** Returns the shard a key falls in (for tests of structural sharing). */
  Map<String, V> shardOf(String key) {
    return shards[shard(key)];
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

  private HashMap<String, V> writable(HashMap<String, V>[] copies, Map<String, V>[] next, int i) {
    if (copies[i] == null) {
      copies[i] = new HashMap<>(next[i]);
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
    java.util.Arrays.fill(shards, Map.of());
    return shards;
  }

  /** Walks the shards in order; read-only. */
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
      Map.Entry<String, V> e = current.next();
      return new SimpleImmutableEntry<>(e);
    }
  }
}
