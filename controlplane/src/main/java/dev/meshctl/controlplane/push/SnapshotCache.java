package dev.meshctl.controlplane.push;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the latest snapshot per proxy key and wakes the streams watching that key.
 *
 * <p>The seam between "what config" (the translator calls {@link #set}) and "how to push it" (the
 * server watches). Setting never blocks on proxies: watchers only schedule work.
 */
public final class SnapshotCache {

  private static final Logger log = LoggerFactory.getLogger(SnapshotCache.class);

  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();

  /** Publishes a snapshot for a proxy key and wakes its watchers. */
  public void set(String proxyKey, Snapshot snapshot) {
    Objects.requireNonNull(proxyKey, "proxyKey");
    Objects.requireNonNull(snapshot, "snapshot");
    snapshots.put(proxyKey, snapshot);
    wake(proxyKey);
  }

  /** Returns the latest snapshot for a proxy key. */
  public Optional<Snapshot> get(String proxyKey) {
    Objects.requireNonNull(proxyKey, "proxyKey");
    return Optional.ofNullable(snapshots.get(proxyKey));
  }

  /** Forgets a proxy key's snapshot; its streams keep what they have and get nothing new. */
  public void clear(String proxyKey) {
    Objects.requireNonNull(proxyKey, "proxyKey");
    snapshots.remove(proxyKey);
  }

  /** Returns the proxy keys that have a snapshot. */
  public Set<String> keys() {
    return Set.copyOf(snapshots.keySet());
  }

  /**
   * Calls {@code onChange} after every {@link #set} for the key until the returned handle is
   * closed. {@code onChange} runs on the setter's thread, so it must only schedule work.
   */
  public AutoCloseable watch(String proxyKey, Runnable onChange) {
    Objects.requireNonNull(proxyKey, "proxyKey");
    Objects.requireNonNull(onChange, "onChange");
    watchers.computeIfAbsent(proxyKey, k -> new CopyOnWriteArraySet<>()).add(onChange);
    return () -> watchers.computeIfPresent(proxyKey, (k, set) -> {
      set.remove(onChange);
      return set.isEmpty() ? null : set;
    });
  }

  private void wake(String proxyKey) {
    Set<Runnable> set = watchers.get(proxyKey);
    if (set == null) {
      return;
    }
    for (Runnable r : set) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("snapshot watcher for {} failed; other watchers still run", proxyKey, e);
      }
    }
  }
}
