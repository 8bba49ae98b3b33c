package dev.meshctl.workshops.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the repository root (the folder holding {@code samples/}) that workshop commands run in. */
public final class SamplesLocator {
  private static final String MARKER = "samples/bookstore/bookstore.yaml";

  private SamplesLocator() {}

  /** Returns the first of {@code starts} or their parents that holds {@code samples/bookstore/bookstore.yaml}. */
  public static Optional<Path> repositoryRoot(List<Path> starts) {
    for (Path start : starts) {
      for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve(MARKER))) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
