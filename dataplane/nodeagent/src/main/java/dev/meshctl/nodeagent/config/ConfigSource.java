package dev.meshctl.nodeagent.config;

import dev.meshctl.core.config.ConfigState;
import java.util.function.Consumer;

/**
 * Delivers validated, complete mesh config to the node agent; a rejected or unreachable update never replaces the
 * last good config.
 */
public interface ConfigSource extends AutoCloseable {

  /**
   * Starts delivering: {@code listener} gets each new complete config, on the source's thread, never a partial one
   * (every subscribed type has arrived).
   */
  void start(Consumer<ConfigState> listener);

  /** Returns the last good config (empty before the first). */
  ConfigState current();

  /** Returns whether a complete config has been applied at least once. */
  boolean synced();

  /** Describes where the config comes from and how syncing goes, for the admin view and logs. */
  SourceStatus status();

  /** Stops delivering; {@link #current()} stays readable. */
  @Override
  void close();
}
