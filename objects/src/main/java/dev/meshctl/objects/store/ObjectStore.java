package dev.meshctl.objects.store;

import dev.meshctl.objects.Kind;
import dev.meshctl.objects.Kinds;
import dev.meshctl.objects.ObjectParser;
import dev.meshctl.objects.ObjectYaml;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps objects as files under a root directory: {@code <root>/<plural>/<namespace or _cluster>/<name>.yaml}.
 *
 * <pre>{@code
 * ObjectStore store = new ObjectStore(labDir.resolve("store"));
 * store.putAll(parsed.stream().map(ParsedObject::object).toList());
 * try (Closeable watch = store.watch(event -> model.apply(event))) { ... }
 * }</pre>
 *
 * <p>Each write goes to a temporary file that is renamed into place, so readers (in any process) never see a
 * partial object. Writers are serialized by a lock on {@code <root>/.lock}. Every write gets a store-wide,
 * monotonically increasing {@code metadata.resourceVersion}; {@link #revision()} is the latest one.
 * Objects are not validated here; parse them with {@link dev.meshctl.objects.ObjectParser} first.
 */
public final class ObjectStore {
  private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);
  private static final String REVISION_FILE = ".revision";
  /** How often watchers rescan the directory in case a file-system notification was missed. */
  public static final Duration DEFAULT_RESCAN = Duration.ofSeconds(2);

  private final StoreLayout layout;

  /** Opens (creating if needed) the store at {@code root}, with one directory per supported kind. */
  public ObjectStore(Path root) {
    Objects.requireNonNull(root, "root");
    this.layout = new StoreLayout(root);
    try {
      for (Kind kind : Kinds.all()) {
        Files.createDirectories(layout.kindDirectory(kind));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the object store at " + root + ": " + e.getMessage(), e);
    }
  }

  /** Returns the root directory. */
  public Path root() {
    return layout.root();
  }

  /** Lists all stored objects of {@code type}, ordered by namespace then name. */
  public <T extends HasMetadata> List<T> list(Class<T> type) {
    Objects.requireNonNull(type, "type");
    Kind kind = Kinds.of(type);
    List<T> objects = new ArrayList<>();
    for (Path file : files(layout.kindDirectory(kind))) {
      read(file).ifPresent(o -> objects.add(type.cast(o)));
    }
    objects.sort(Comparator.comparing((T o) -> String.valueOf(o.getMetadata().getNamespace()))
        .thenComparing(o -> o.getMetadata().getName()));
    return objects;
  }

  /** Lists every stored object, kind by kind in {@link Kinds#all()} order (namespaces first). */
  public List<HasMetadata> listAll() {
    List<HasMetadata> all = new ArrayList<>();
    for (Kind kind : Kinds.all()) {
      all.addAll(list(kind.type()));
    }
    return all;
  }

  /** Returns the object of {@code type} named {@code name} in {@code namespace} (ignored for cluster kinds). */
  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    return read(layout.file(Kinds.of(type), namespace, name)).map(type::cast);
  }

  /**
   * Stores a copy of {@code object}, replacing any object of the same kind, namespace and name.
   *
   * <p>Keeps the {@code uid} and {@code creationTimestamp} of the object it replaces (or assigns them), and sets a
   * new {@code resourceVersion}. A missing namespace becomes {@code default}. The argument is not modified.
   *
   * @return the stored copy
   */
  public <T extends HasMetadata> T put(T object) {
    Objects.requireNonNull(object, "object");
    return putAll(List.of(object)).get(0);
  }

  /**
   * Stores copies of all {@code objects}, or none: if a write fails, the files it replaced are restored and the
   * failure is rethrown.
   *
   * @return the stored copies, in order
   * @throws UncheckedIOException naming the object that could not be written
   */
  public <T extends HasMetadata> List<T> putAll(Collection<? extends T> objects) {
    Objects.requireNonNull(objects, "objects");
    List<Pending<T>> pending = new ArrayList<>();
    Set<Path> targets = new HashSet<>();
    for (T object : objects) {
      Pending<T> p = prepare(object);
      if (!targets.add(p.file)) {
        throw new IllegalArgumentException(Kinds.describe(p.object) + " appears twice in one putAll");
      }
      pending.add(p);
    }
    try {
      StoreLock.withLock(root(), () -> {
        writeAll(pending);
        return null;
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the object store at " + root() + ": " + e.getMessage(), e);
    }
    return pending.stream().map(p -> p.object).toList();
  }

  /**
   * Deletes the object of {@code type} named {@code name} in {@code namespace}.
   *
   * @return whether it existed
   */
  public boolean delete(Class<?> type, String namespace, String name) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Path file = layout.file(Kinds.of(type), namespace, name);
    try {
      return StoreLock.withLock(root(), () -> {
        if (!Files.deleteIfExists(file)) {
          return false;
        }
        writeRevision(readRevision() + 1);
        return true;
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** Returns the latest resourceVersion handed out (0 for a new store); deletes also advance it. */
  public long revision() {
    try {
      return readRevision();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the store revision in " + root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Watches the store: first reports every existing object as ADDED, then each change, in order, on one
   * dedicated thread. Close the returned handle to stop.
   */
  public Closeable watch(Consumer<StoreEvent> listener) {
    return watch(listener, DEFAULT_RESCAN);
  }

  /** Like {@link #watch(Consumer)}, rescanning every {@code rescan} in case a notification was missed. */
  public Closeable watch(Consumer<StoreEvent> listener, Duration rescan) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(rescan, "rescan");
    StoreWatcher watcher = new StoreWatcher(this, listener, rescan);
    watcher.start();
    return watcher;
  }

  StoreLayout layout() {
    return layout;
  }

  /** Reads one object file; unreadable or invalid files are logged and skipped (empty). */
  Optional<HasMetadata> read(Path file) {
    byte[] bytes;
    try {
      bytes = AtomicFiles.readIfExists(file);
    } catch (IOException e) {
      log.warn("Skipping {}: cannot read it: {}", file, e.getMessage());
      return Optional.empty();
    }
    return bytes == null ? Optional.empty() : decode(file, bytes);
  }

  static Optional<HasMetadata> decode(Path file, byte[] bytes) {
    try {
      var parsed = ObjectParser.withoutValidation()
          .parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
      if (parsed.size() != 1) {
        log.warn("Skipping {}: expected exactly one object, found {}", file, parsed.size());
        return Optional.empty();
      }
      return Optional.of(parsed.get(0).object());
    } catch (RuntimeException e) {
      log.warn("Skipping {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Lists object files in a kind directory (all namespaces). */
  static List<Path> files(Path kindDirectory) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> namespaces = Files.list(kindDirectory)) {
      for (Path ns : namespaces.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> entries = Files.list(ns)) {
          entries.filter(StoreLayout::isObjectFile).filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + kindDirectory + ": " + e.getMessage(), e);
    }
    return files;
  }

  private <T extends HasMetadata> Pending<T> prepare(T object) {
    Objects.requireNonNull(object, "object");
    Kind kind = Kinds.of(object);
    T copy = ObjectYaml.copy(object);
    if (copy.getMetadata() == null) {
      copy.setMetadata(new ObjectMeta());
    }
    ObjectMeta meta = copy.getMetadata();
    if (kind.namespaced()) {
      meta.setNamespace(StoreLayout.namespace(kind, meta.getNamespace()));
    }
    return new Pending<>(copy, layout.file(kind, meta.getNamespace(), meta.getName()));
  }

  // Runs under the store lock.
  private <T extends HasMetadata> void writeAll(List<Pending<T>> pending) throws IOException {
    long revision = readRevision();
    List<Pending<T>> written = new ArrayList<>();
    Pending<T> current = null;
    try {
      for (Pending<T> p : pending) {
        current = p;
        p.previous = AtomicFiles.readIfExists(p.file);
        ObjectMeta meta = p.object.getMetadata();
        Optional<HasMetadata> old = p.previous == null ? Optional.empty() : decode(p.file, p.previous);
        String uid = old.map(o -> o.getMetadata().getUid()).orElse(meta.getUid());
        meta.setUid(uid == null || uid.isEmpty() ? UUID.randomUUID().toString() : uid);
        String created = old.map(o -> o.getMetadata().getCreationTimestamp()).orElse(meta.getCreationTimestamp());
        meta.setCreationTimestamp(created == null || created.isEmpty()
            ? Instant.now().truncatedTo(ChronoUnit.SECONDS).toString() : created);
        revision++;
        meta.setResourceVersion(Long.toString(revision));
        byte[] content = ObjectYaml.write(p.object).getBytes(StandardCharsets.UTF_8);
        written.add(p);
        AtomicFiles.write(p.file, content);
      }
    } catch (IOException | RuntimeException e) {
      rollback(written);
      // Versions handed out before the failure may have been seen by watchers: never hand them out again.
      writeRevision(revision);
      Pending<T> failed = current == null ? pending.get(0) : current;
      throw new UncheckedIOException("cannot store " + Kinds.describe(failed.object) + " at " + failed.file + ": "
          + e.getMessage() + "; nothing from this write was stored", e instanceof IOException io ? io
          : new IOException(e));
    }
    writeRevision(revision);
  }

  private static <T extends HasMetadata> void rollback(List<Pending<T>> written) {
    for (int i = written.size() - 1; i >= 0; i--) {
      Pending<T> p = written.get(i);
      try {
        if (p.previous == null) {
          Files.deleteIfExists(p.file);
        } else {
          AtomicFiles.write(p.file, p.previous);
        }
      } catch (IOException e) {
        log.error("Could not restore {} after a failed write; the store may be inconsistent: {}", p.file,
            e.getMessage());
      }
    }
  }

  private long readRevision() throws IOException {
    byte[] bytes = AtomicFiles.readIfExists(root().resolve(REVISION_FILE));
    if (bytes == null) {
      return highestStoredVersion();
    }
    try {
      return Long.parseLong(new String(bytes, StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      throw new IOException("corrupt revision file " + root().resolve(REVISION_FILE)
          + "; delete it to restart numbering from the highest stored resourceVersion", e);
    }
  }

  // A new store starts at 0; a store whose revision file was lost continues after its newest object.
  private long highestStoredVersion() {
    long highest = 0;
    for (HasMetadata object : listAll()) {
      try {
        highest = Math.max(highest, Long.parseLong(object.getMetadata().getResourceVersion()));
      } catch (NumberFormatException e) {
        // Not written by this store; it does not constrain the numbering.
      }
    }
    return highest;
  }

  private void writeRevision(long revision) throws IOException {
    AtomicFiles.write(root().resolve(REVISION_FILE), (revision + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** One object about to be written, and what its file held before (null if absent). */
  private static final class Pending<T extends HasMetadata> {
    final T object;
    final Path file;
    byte[] previous;

    Pending(T object, Path file) {
      this.object = object;
      this.file = file;
    }
  }
}
