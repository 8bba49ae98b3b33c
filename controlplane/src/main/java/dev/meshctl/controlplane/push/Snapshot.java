package dev.meshctl.controlplane.push;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Holds everything one proxy should have: type URL -> resource name -> versioned resource.
 *
 * <p>Immutable and checked for consistency when built. A snapshot derived with
 * {@link #toBuilder()} shares the maps of the types it did not touch, which lets the push server
 * skip those types without comparing them.
 *
 * <pre>{@code
 * Snapshot s = Snapshot.builder()
 *     .add("default/productpage.default.svc.cluster.local", service)
 *     .add("Kubernetes//Pod/default/productpage-v1-abc", workload)
 *     .type(TypeUrls.AUTHORIZATION)   // subscribed-to but empty
 *     .build();
 * }</pre>
 */
public final class Snapshot {

  private static final Snapshot EMPTY = builder().build();

  private final Map<String, Map<String, Resource>> resources;
  private final String version;

  private Snapshot(Map<String, Map<String, Resource>> resources, String version) {
    this.resources = resources;
    this.version = version;
  }

  /** Returns a snapshot with no types and no resources. */
  public static Snapshot empty() {
    return EMPTY;
  }

  /** Returns a builder for a new snapshot. */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** Returns a builder that starts from this snapshot's content (and not its explicit version). */
  public Builder toBuilder() {
    return new Builder(resources);
  }

  /** Returns the snapshot's version: explicit if one was given, otherwise derived from the content. */
  public String version() {
    return version;
  }

  /** Returns the type URLs this snapshot has (possibly with no resources). */
  public Set<String> typeUrls() {
    return resources.keySet();
  }

  /** Returns the resources of one type by name; empty if the snapshot lacks the type. */
  public Map<String, Resource> resources(String typeUrl) {
    Objects.requireNonNull(typeUrl, "typeUrl");
    return resources.getOrDefault(typeUrl, Map.of());
  }

  /** Returns one resource. */
  public Optional<Resource> resource(String typeUrl, String name) {
    Objects.requireNonNull(name, "name");
    return Optional.ofNullable(resources(typeUrl).get(name));
  }

  /** Returns the number of resources of all types. */
  public int size() {
    return resources.values().stream().mapToInt(Map::size).sum();
  }

  /** Wraps a message as a resource whose version is a hash of its content. */
  public static Resource resource(String name, Message message) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
    Any any = TypeUrls.pack(message);
    return Resource.newBuilder().setName(name).setVersion(contentVersion(message)).setResource(any).build();
  }

  /**
   * Returns a stable hash of a message's content. Serialization is deterministic (map entries
   * sorted), so equal content built in a different order gets the same version.
   */
  public static String contentVersion(Message message) {
    Objects.requireNonNull(message, "message");
    try {
      String typeName = message.getDescriptorForType().getFullName();
      // Sized exactly: translation hashes every resource, and a default 4 KiB stream buffer each adds up.
      byte[] bytes = new byte[CodedOutputStream.computeStringSizeNoTag(typeName) + message.getSerializedSize()];
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      out.writeStringNoTag(typeName);
      message.writeTo(out);
      out.checkNoSpaceLeft();
      byte[] digest = sha256().digest(bytes);
      return hex(digest, 8);
    } catch (IOException e) {
      throw new UncheckedIOException("BUG: serializing to memory failed", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot other && version.equals(other.version) && resources.equals(other.resources);
  }

  @Override
  public int hashCode() {
    return version.hashCode();
  }

  @Override
  public String toString() {
    return "Snapshot{version=" + version + ", resources=" + size() + "}";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("BUG: the JDK has no SHA-256", e);
    }
  }

  private static String hex(byte[] bytes, int count) {
    StringBuilder s = new StringBuilder(count * 2);
    for (int i = 0; i < count; i++) {
      s.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
    }
    return s.toString();
  }

  /**
   * Checks a set of one type's resources once, so that many snapshots can hold it without copying
   * or re-checking it (e.g. every Workload, for every node agent).
   *
   * @throws IllegalArgumentException as {@link Builder#build()} does
   */
  public static TypeResources typeResources(String typeUrl, Map<String, Resource> resources) {
    Objects.requireNonNull(typeUrl, "typeUrl");
    Objects.requireNonNull(resources, "resources");
    Map<String, Resource> copy = Collections.unmodifiableMap(new HashMap<>(resources));
    return new TypeResources(typeUrl, copy, Builder.typeHash(typeUrl, copy));
  }

  /** An immutable, checked set of one type's resources; see {@link #typeResources(String, Map)}. */
  public static final class TypeResources {
    private final String typeUrl;
    private final Map<String, Resource> resources;
    private final long hash;

    private TypeResources(String typeUrl, Map<String, Resource> resources, long hash) {
      this.typeUrl = typeUrl;
      this.resources = resources;
      this.hash = hash;
    }

    /** Returns the type URL. */
    public String typeUrl() {
      return typeUrl;
    }

    /** Returns the resources by name (unmodifiable). */
    public Map<String, Resource> resources() {
      return resources;
    }
  }

  /** Collects resources; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Map<String, Resource>> base;
    private final Map<String, Map<String, Resource>> copies = new HashMap<>();
    private final Map<String, TypeResources> shared = new HashMap<>();
    private final Set<String> addedNames = new HashSet<>();
    private String version;

    private Builder(Map<String, Map<String, Resource>> base) {
      this.base = base;
    }

    /** Adds a message under a new name; a name already added to this builder is an error. */
    public Builder add(String name, Message message) {
      return add(resource(name, message));
    }

    /** Adds a resource under a new name; a name already added to this builder is an error. */
    public Builder add(Resource resource) {
      Objects.requireNonNull(resource, "resource");
      String type = resource.getResource().getTypeUrl();
      if (!addedNames.add(type + "\n" + resource.getName())) {
        throw new IllegalArgumentException("duplicate resource name '" + resource.getName() + "' of type "
            + type + ": every resource of a type needs a unique name");
      }
      writable(type).put(resource.getName(), resource);
      return this;
    }

    /** Adds or replaces a message (for edits of a snapshot from {@link Snapshot#toBuilder()}). */
    public Builder put(String name, Message message) {
      Resource resource = resource(name, message);
      writable(resource.getResource().getTypeUrl()).put(name, resource);
      return this;
    }

    /** Removes a resource if present. */
    public Builder remove(String typeUrl, String name) {
      Objects.requireNonNull(name, "name");
      if (resources(typeUrl).containsKey(name)) {
        writable(typeUrl).remove(name);
      }
      return this;
    }

    /** Declares a type, so that a snapshot without resources of it still answers for it. */
    public Builder type(String typeUrl) {
      Objects.requireNonNull(typeUrl, "typeUrl");
      if (!base.containsKey(typeUrl) && !shared.containsKey(typeUrl)) {
        writable(typeUrl);
      }
      return this;
    }

    /** Sets an explicit snapshot version instead of one derived from the content. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Checks and builds the snapshot.
     *
     * @throws IllegalArgumentException if a resource has no name or version, or is filed under a
     *     type URL that is not its own
     */
    public Snapshot build() {
      Map<String, Map<String, Resource>> all = new LinkedHashMap<>(base);
      copies.forEach((type, map) -> all.put(type, Collections.unmodifiableMap(map)));
      shared.forEach((type, set) -> all.put(type, set.resources));
      long hash = 0;
      for (Map.Entry<String, Map<String, Resource>> type : all.entrySet()) {
        TypeResources set = shared.get(type.getKey());
        // Shared sets were checked and hashed once when they were made.
        hash += set != null ? set.hash : typeHash(type.getKey(), type.getValue());
        hash += mix(type.getKey().hashCode(), 0);
      }
      String v = version != null ? version : String.format("%016x", hash);
      return new Snapshot(Collections.unmodifiableMap(all), v);
    }

    /**
     * Holds a prebuilt, checked set of one type's resources instead of copying it; adding to or
     * removing from that type later copies it first.
     */
    public Builder type(TypeResources set) {
      Objects.requireNonNull(set, "set");
      copies.remove(set.typeUrl);
      shared.put(set.typeUrl, set);
      return this;
    }

    private static long typeHash(String type, Map<String, Resource> resources) {
      long hash = 0;
      for (Map.Entry<String, Resource> e : resources.entrySet()) {
        Resource r = e.getValue();
        check(type, e.getKey(), r);
        hash += mix((type + "\n" + e.getKey() + "\n" + r.getVersion()).hashCode(), e.getKey().length());
      }
      return hash;
    }

    private Map<String, Resource> resources(String typeUrl) {
      Map<String, Resource> copy = copies.get(typeUrl);
      if (copy != null) {
        return copy;
      }
      TypeResources set = shared.get(typeUrl);
      return set != null ? set.resources : base.getOrDefault(typeUrl, Map.of());
    }

    private Map<String, Resource> writable(String typeUrl) {
      TypeResources set = shared.remove(typeUrl);
      if (set != null) {
        return copies.computeIfAbsent(typeUrl, t -> new HashMap<>(set.resources));
      }
      return copies.computeIfAbsent(typeUrl, t -> new HashMap<>(base.getOrDefault(t, Map.of())));
    }

    private static void check(String type, String name, Resource r) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a resource of type " + type + " has an empty name: give every resource a name");
      }
      if (!name.equals(r.getName())) {
        throw new IllegalArgumentException("BUG: resource filed as '" + name + "' is named '" + r.getName() + "'");
      }
      if (r.getVersion().isEmpty()) {
        throw new IllegalArgumentException("resource '" + name + "' of type " + type
            + " has no version: build it with Snapshot.resource(name, message)");
      }
      if (!type.equals(r.getResource().getTypeUrl())) {
        throw new IllegalArgumentException("resource '" + name + "' is filed under type " + type
            + " but holds " + r.getResource().getTypeUrl());
      }
    }

    private static long mix(int a, int b) {
      long z = ((long) a << 32) ^ (b & 0xffffffffL);
      z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
      z = (z ^ (z >>> 33)) * 0xc4ceb9f53a1ce4e3L;
      return z ^ (z >>> 33);
    }
  }
}
