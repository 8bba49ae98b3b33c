package dev.meshctl.nodeagent.config;

import dev.meshctl.core.config.ConfigState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves config from a {@link StaticConfig} file, re-reading it when its content changes; an edit that does not parse
 * is logged and the last good config stays.
 */
public final class StaticConfigSource implements ConfigSource {

  private static final Logger log = LoggerFactory.getLogger(StaticConfigSource.class);

  private final Path file;
  private final Duration pollInterval;
  private final Object lock = new Object();
  private ScheduledExecutorService poller;
  private Consumer<ConfigState> listener;
  private volatile ConfigState current = ConfigState.empty();
  private volatile boolean synced;
  private volatile Instant lastUpdate;
  private volatile String lastError = "";
  private byte[] lastContent;

  /** Creates a source for {@code file}, checking it for changes every {@code pollInterval} (zero: never). */
  public StaticConfigSource(Path file, Duration pollInterval) {
    this.file = Objects.requireNonNull(file, "file");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must not be negative: " + pollInterval);
    }
  }

  /**
   * Reads the file and delivers it before returning, then watches it.
   *
   * @throws StaticConfigException if the file cannot be used: the agent must not start on a broken config
   */
  @Override
  public void start(Consumer<ConfigState> listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (this.listener != null) {
        throw new IllegalStateException("static config source for " + file + " already started");
      }
      this.listener = listener;
      byte[] content = readBytes();
      ConfigState state = StaticConfig.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8),
          file.toString());
      accept(content, state);
      if (!pollInterval.isZero()) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "static-config-watch");
          t.setDaemon(true);
          return t;
        });
        poller.scheduleWithFixedDelay(this::reloadIfChanged, pollInterval.toMillis(), pollInterval.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    log.info("static config {} loaded: {}", file, current);
  }

  /** Re-reads the file now if its content changed; returns whether a new config was applied. */
  public boolean reloadIfChanged() {
    synchronized (lock) {
      if (listener == null) {
        return false;
      }
      byte[] content;
      try {
        content = readBytes();
      } catch (StaticConfigException e) {
        remember(e.getMessage());
        return false;
      }
      if (Arrays.equals(content, lastContent)) {
        return false;
      }
      ConfigState state;
      try {
        state = StaticConfig.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8), file.toString());
      } catch (StaticConfigException e) {
        lastContent = content;
        remember(e.getMessage());
        return false;
      }
      accept(content, state);
      log.info("static config {} reloaded: {}", file, state);
      return true;
    }
  }

  @Override
  public ConfigState current() {
    return current;
  }

  @Override
  public boolean synced() {
    return synced;
  }

  @Override
  public SourceStatus status() {
    return new SourceStatus("static", file.toString(), synced, lastUpdate, lastError);
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (poller != null) {
        poller.shutdownNow();
      }
    }
  }

  private void accept(byte[] content, ConfigState state) {
    lastContent = content;
    lastError = "";
    current = state;
    synced = true;
    lastUpdate = Instant.now();
    try {
      listener.accept(state);
    } catch (RuntimeException e) {
      log.error("applying the static config from {} failed", file, e);
    }
  }

  private void remember(String error) {
    if (!error.equals(lastError)) {
      log.error("static config not reloaded, keeping the last good one: {}", error);
    }
    lastError = error;
  }

  private byte[] readBytes() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StaticConfigException("cannot read static config " + file + ": " + e.getMessage(), e);
    }
  }
}
