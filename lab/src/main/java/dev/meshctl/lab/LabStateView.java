package dev.meshctl.lab;

import dev.meshctl.lab.state.LabState;
import dev.meshctl.lab.state.LabStateFile;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a lab's recorded state without opening it (for listings and for choosing its provider). */
public final class LabStateView {
  private LabStateView() {}

  /** Returns the state in {@code dir}, or empty when absent or unreadable. */
  public static Optional<LabState> read(Path dir) {
    try {
      return new LabStateFile(dir).read();
    } catch (LabException e) {
      return Optional.empty();
    }
  }

  /** Returns the provider that created the lab in {@code dir}. */
  public static Optional<String> provider(Path dir) {
    return read(dir).map(LabState::provider);
  }
}
