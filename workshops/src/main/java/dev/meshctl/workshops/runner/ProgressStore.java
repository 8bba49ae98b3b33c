package dev.meshctl.workshops.runner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Keeps progress in the lab's state directory ({@code workshops.json}) while the lab is up, else in a file under
 * {@code $MESHCTL_HOME/workshops/}, so a person can stop and come back.
 */
public final class ProgressStore {
  static final String FILE_NAME = "workshops.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Path labFile;
  private final Path fallback;
  private final BooleanSupplier labUp;

  /**
   * @param labDir the lab's state directory
   * @param fallback where progress goes while the lab is not up, e.g. {@code $MESHCTL_HOME/workshops/<lab>.json}
   * @param labUp tells whether the lab is up now
   */
  public ProgressStore(Path labDir, Path fallback, BooleanSupplier labUp) {
    this.labFile = Objects.requireNonNull(labDir, "labDir").resolve(FILE_NAME);
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.labUp = Objects.requireNonNull(labUp, "labUp");
  }

  /** Returns the saved progress: the lab's file when present, else the fallback, else nothing yet. */
  public Progress load() {
    Path file = Files.isRegularFile(labFile) ? labFile : fallback;
    if (!Files.isRegularFile(file)) {
      return Progress.EMPTY;
    }
    try {
      return JSON.readValue(file.toFile(), Progress.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read workshop progress " + file + " (" + e.getMessage()
          + "): fix or delete the file, or run `meshctl workshop reset`", e);
    }
  }

  /** Saves {@code progress} where {@link #load()} finds it first, and drops the fallback once the lab holds it. */
  public Path save(Progress progress) {
    Objects.requireNonNull(progress, "progress");
    boolean inLab = labUp.getAsBoolean() && Files.isDirectory(labFile.getParent());
    Path file = inLab ? labFile : fallback;
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), progress);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      if (inLab) {
        Files.deleteIfExists(fallback);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save workshop progress to " + file + ": " + e.getMessage(), e);
    }
  }
}
