package dev.meshctl.core.config;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds a proxy's config: type URL -> resource name -> version and packed resource. Immutable;
 * {@link #apply} returns a new state that shares everything the change did not touch, so applying a change
 * costs in proportion to the change, not to the state (decoded views carry over the same way).
 *
 * <pre>{@code
 * Map<String, Workload> workloads = client.current().resources(Workload.class);
 * }</pre>
 */
public final class ConfigState {

  /** One resource as received. */
  public record Entry(String version, Any resource) {
    public Entry {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(resource, "resource");
    }
  }

  private static final ConfigState EMPTY = new ConfigState(Map.of());

  private final Map<String, ShardedMap<Entry>> types;
  private final Map<Class<?>, ShardedMap<?>> decoded;

  private ConfigState(Map<String, ShardedMap<Entry>> types) {
    this(types, new ConcurrentHashMap<>());
  }

  private ConfigState(Map<String, ShardedMap<Entry>> types, Map<Class<?>, ShardedMap<?>> decoded) {
    this.types = types;
    this.decoded = decoded;
  }

  /** Returns a state with nothing in it. */
  public static ConfigState empty() {
    return EMPTY;
  }

  /** Returns the type URLs that have been received (possibly with no resources). */
  public Set<String> typeUrls() {
    return types.keySet();
  }

  /** Returns one type's resources by name; empty if none were received. */
  public Map<String, Entry> entries(String typeUrl) {
    Objects.requireNonNull(typeUrl, "typeUrl");
    return types.getOrDefault(typeUrl, ShardedMap.empty());
  }

  /** Returns name -> version for one type, as sent in {@code initial_resource_versions}. */
  public Map<String, String> versions(String typeUrl) {
    Map<String, String> versions = new HashMap<>();
    entries(typeUrl).forEach((name, e) -> versions.put(name, e.version()));
    return versions;
  }

  /** Returns the resources of a mesh type, decoded, by name. */
  @SuppressWarnings("unchecked")
  public <T extends Message> Map<String, T> resources(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return (Map<String, T>) decoded.computeIfAbsent(type, t -> decode(type));
  }

  /** Returns one resource of a mesh type, decoded. */
  public <T extends Message> Optional<T> resource(Class<T> type, String name) {
    Objects.requireNonNull(name, "name");
    return Optional.ofNullable(resources(type).get(name));
  }

  /** Returns the number of resources of all types. */
  public int size() {
    return types.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * Returns this state with one type's changes applied; the same instance if nothing changes.
   * Resources of types this API defines must decode.
   *
   * @throws IllegalArgumentException naming the resource that is malformed
   */
  public ConfigState apply(String typeUrl, List<Resource> changed, List<String> removed) {
    Objects.requireNonNull(typeUrl, "typeUrl");
    Objects.requireNonNull(changed, "changed");
    Objects.requireNonNull(removed, "removed");
    Optional<Message> prototype = TypeUrls.defaultInstance(typeUrl);
    for (Resource r : changed) {
      check(typeUrl, r, prototype);
    }
    ShardedMap<Entry> old = types.getOrDefault(typeUrl, ShardedMap.empty());
    boolean typeIsNew = !types.containsKey(typeUrl);
    if (!typeIsNew && removed.stream().noneMatch(old::containsKey)
        && changed.stream().allMatch(r -> sameEntry(old.get(r.getName()), r))) {
      return this;
    }
    Map<String, Entry> put = new LinkedHashMap<>();
    for (Resource r : changed) {
      put.put(r.getName(), new Entry(r.getVersion(), r.getResource()));
    }
    // Removals apply first: a name both removed and sent ends up present, as before.
    ShardedMap<Entry> next = old.with(put, removed);
    Map<String, ShardedMap<Entry>> all = new LinkedHashMap<>(types);
    all.put(typeUrl, next);
    return new ConfigState(Collections.unmodifiableMap(all), carryDecoded(typeUrl, put, removed));
  }

  /** Returns this state's decoded views updated for one type's change, decoding only what changed. */
  private Map<Class<?>, ShardedMap<?>> carryDecoded(String typeUrl, Map<String, Entry> put, List<String> removed) {
    Map<Class<?>, ShardedMap<?>> next = new ConcurrentHashMap<>();
    decoded.forEach((type, views) -> {
      if (!TypeUrls.of(type.asSubclass(Message.class)).equals(typeUrl)) {
        next.put(type, views);
      } else {
        next.put(type, updated(type.asSubclass(Message.class), views, put, removed));
      }
    });
    return next;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> ShardedMap<T> updated(Class<T> type, ShardedMap<?> views,
      Map<String, Entry> put, List<String> removed) {
    Map<String, T> decodedPut = new LinkedHashMap<>();
    put.forEach((name, e) -> decodedPut.put(name, unpack(type, name, e)));
    return ((ShardedMap<T>) views).with(decodedPut, removed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigState other && types.equals(other.types);
  }

  @Override
  public int hashCode() {
    return types.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ConfigState{");
    types.forEach((type, m) -> s.append(type.substring(type.lastIndexOf('.') + 1)).append('=').append(m.size()).append(' '));
    return s.append('}').toString();
  }

  private static boolean sameEntry(Entry e, Resource r) {
    return e != null && e.version().equals(r.getVersion()) && e.resource().equals(r.getResource());
  }

  private static void check(String typeUrl, Resource r, Optional<Message> prototype) {
    if (r.getName().isEmpty()) {
      throw new IllegalArgumentException("a resource of type " + typeUrl + " has no name");
    }
    if (!typeUrl.equals(r.getResource().getTypeUrl())) {
      throw new IllegalArgumentException("resource '" + r.getName() + "' in a " + typeUrl
          + " response holds a " + r.getResource().getTypeUrl());
    }
    if (prototype.isPresent()) {
      try {
        prototype.get().getParserForType().parseFrom(r.getResource().getValue());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("resource '" + r.getName() + "' of type " + typeUrl
            + " does not decode: " + e.getMessage(), e);
      }
    }
  }

  private <T extends Message> ShardedMap<T> decode(Class<T> type) {
    Map<String, T> out = new HashMap<>();
    for (Map.Entry<String, Entry> e : entries(TypeUrls.of(type)).entrySet()) {
      out.put(e.getKey(), unpack(type, e.getKey(), e.getValue()));
    }
    return ShardedMap.<T>empty().with(out, List.of());
  }

  private static <T extends Message> T unpack(Class<T> type, String name, Entry entry) {
    try {
      return entry.resource().unpack(type);
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("resource '" + name + "' does not decode as "
          + type.getSimpleName() + ": " + ex.getMessage(), ex);
    }
  }

  /** Returns the shard of one type's entries that holds {@code name} (for tests of structural sharing). */
  Map<String, Entry> shardOf(String typeUrl, String name) {
    return types.getOrDefault(typeUrl, ShardedMap.empty()).shardOf(name);
  }
}
