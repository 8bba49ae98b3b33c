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
 * {@link #apply} returns a new state.
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

  private final Map<String, Map<String, Entry>> types;
  private final Map<Class<?>, Map<String, ?>> decoded = new ConcurrentHashMap<>();

  private ConfigState(Map<String, Map<String, Entry>> types) {
    this.types = types;
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
    return types.getOrDefault(typeUrl, Map.of());
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
    Map<String, Entry> old = entries(typeUrl);
    boolean typeIsNew = !types.containsKey(typeUrl);
    if (!typeIsNew && removed.stream().noneMatch(old::containsKey)
        && changed.stream().allMatch(r -> sameEntry(old.get(r.getName()), r))) {
      return this;
    }
    Map<String, Entry> next = new HashMap<>(old);
    removed.forEach(next::remove);
    for (Resource r : changed) {
      next.put(r.getName(), new Entry(r.getVersion(), r.getResource()));
    }
    Map<String, Map<String, Entry>> all = new LinkedHashMap<>(types);
    all.put(typeUrl, Collections.unmodifiableMap(next));
    return new ConfigState(Collections.unmodifiableMap(all));
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

  private <T extends Message> Map<String, T> decode(Class<T> type) {
    Map<String, T> out = new HashMap<>();
    for (Map.Entry<String, Entry> e : entries(TypeUrls.of(type)).entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().resource().unpack(type));
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException("resource '" + e.getKey() + "' does not decode as "
            + type.getSimpleName() + ": " + ex.getMessage(), ex);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
