package dev.meshctl.objects.store;

import dev.meshctl.objects.Kind;
import dev.meshctl.objects.Kinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the store directory into a stream of events on one thread.
 *
 * <p>File-system notifications only wake the thread; what changed is decided by comparing a full scan with the
 * previous one, so a missed, merged or reordered notification can delay an event (until the next periodic
 * rescan) but never lose or duplicate it.
 */
final class StoreWatcher implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(StoreWatcher.class);

  /** What the last scan saw in one file: its identity (inode, time, size) and the object it held. */
  private record Seen(Object fileKey, long modified, long size, HasMetadata object) {
    boolean sameFile(BasicFileAttributes attributes) {
      return Objects.equals(fileKey, attributes.fileKey()) && modified == attributes.lastModifiedTime().toMillis()
          && size == attributes.size();
    }
  }

  private final ObjectStore store;
  private final Consumer<StoreEvent> listener;
  private final Duration rescan;
  private final Thread thread;
  private final Map<Path, Seen> seen = new HashMap<>();
  private final Set<Path> registered = new HashSet<>();
  private volatile boolean closed;
  private WatchService watchService;

  StoreWatcher(ObjectStore store, Consumer<StoreEvent> listener, Duration rescan) {
    this.store = store;
    this.listener = listener;
    this.rescan = rescan.isNegative() || rescan.isZero() ? ObjectStore.DEFAULT_RESCAN : rescan;
    this.thread = new Thread(this::run, "object-store-watch");
    this.thread.setDaemon(true);
  }

  void start() {
    try {
      watchService = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      log.warn("No file-system notifications for {} ({}); rescanning every {}", store.root(), e.getMessage(), rescan);
    }
    thread.start();
  }

  @Override
  public void close() {
    closed = true;
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        log.debug("Closing the watch service: {}", e.getMessage());
      }
    }
    thread.interrupt();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(rescan.toMillis() + 5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      while (!closed) {
        registerDirectories();
        scan();
        waitForChange();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // Closed.
    } catch (RuntimeException e) {
      log.error("Store watcher for {} stopped: {}", store.root(), e.toString(), e);
    }
  }

  private void waitForChange() throws InterruptedException {
    if (watchService == null) {
      Thread.sleep(rescan.toMillis()); // the periodic fallback itself, not a test wait
      return;
    }
    WatchKey key = watchService.poll(rescan.toMillis(), TimeUnit.MILLISECONDS);
    while (key != null) {
      key.pollEvents();
      if (!key.reset()) {
        registered.remove((Path) key.watchable());
      }
      key = watchService.poll();
    }
  }

  // Kind directories see namespace directories appear; namespace directories see object files change.
  private void registerDirectories() {
    if (watchService == null) {
      return;
    }
    for (Kind kind : Kinds.all()) {
      Path kindDirectory = store.layout().kindDirectory(kind);
      register(kindDirectory);
      try (Stream<Path> namespaces = Files.list(kindDirectory)) {
        namespaces.filter(Files::isDirectory).forEach(this::register);
      } catch (IOException e) {
        log.debug("Cannot list {}: {}", kindDirectory, e.getMessage());
      }
    }
  }

  private void register(Path directory) {
    if (registered.contains(directory)) {
      return;
    }
    try {
      directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
          StandardWatchEventKinds.ENTRY_MODIFY);
      registered.add(directory);
    } catch (IOException e) {
      log.debug("Cannot watch {}: {}", directory, e.getMessage());
    }
  }

  private void scan() {
    Set<Path> present = new HashSet<>();
    List<StoreEvent> changes = new ArrayList<>();
    for (Kind kind : Kinds.all()) {
      for (Path file : ObjectStore.files(store.layout().kindDirectory(kind))) {
        present.add(file);
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
          present.remove(file); // deleted since listed
          continue;
        }
        Seen before = seen.get(file);
        if (before != null && before.sameFile(attributes)) {
          continue;
        }
        var object = store.read(file);
        if (object.isEmpty()) {
          if (before != null) {
            present.add(file); // unreadable for now: keep the last good object, report nothing
          }
          continue;
        }
        seen.put(file, new Seen(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size(),
            object.get()));
        if (before == null) {
          changes.add(new StoreEvent(StoreEvent.Type.ADDED, object.get()));
        } else if (!before.object().equals(object.get())) {
          changes.add(new StoreEvent(StoreEvent.Type.MODIFIED, object.get()));
        }
      }
    }
    changes.sort(Comparator.comparingLong(e -> version(e.object())));
    for (var it = seen.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!present.contains(entry.getKey())) {
        it.remove();
        changes.add(new StoreEvent(StoreEvent.Type.DELETED, entry.getValue().object()));
      }
    }
    changes.forEach(this::deliver);
  }

  private void deliver(StoreEvent event) {
    if (closed) {
      return;
    }
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      log.error("Store listener failed on {} {}: {}", event.type(), Kinds.describe(event.object()), e.toString(), e);
    }
  }

  private static long version(HasMetadata object) {
    try {
      return Long.parseLong(object.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }
}
