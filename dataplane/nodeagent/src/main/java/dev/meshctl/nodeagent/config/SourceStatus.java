package dev.meshctl.nodeagent.config;

import java.time.Instant;
import java.util.Objects;

/**
 * Describes a config source's sync state.
 *
 * @param mode {@code xds} or {@code static}
 * @param location the control plane address or the file
 * @param synced whether a complete config has been applied
 * @param lastUpdate when the last config was applied, null if never
 * @param lastError why the last update was refused or the source is unhealthy, empty if fine
 */
public record SourceStatus(String mode, String location, boolean synced, Instant lastUpdate, String lastError) {

  /** Checks the required fields. */
  public SourceStatus {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(lastError, "lastError");
  }
}
