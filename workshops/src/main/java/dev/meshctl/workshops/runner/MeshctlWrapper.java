package dev.meshctl.workshops.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A folder holding a {@code meshctl} script that runs this very build against one lab, put first on the PATH of
 * workshop commands so that {@code meshctl ...} in a step means this meshctl and this lab.
 */
public final class MeshctlWrapper implements AutoCloseable {
  private final Path dir;

  private MeshctlWrapper(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates the wrapper in a new temporary folder.
   *
   * @param java the java executable
   * @param classpath the jar (or classpath) holding {@code mainClass}, e.g. {@code Launch.classpath()}
   * @param mainClass the CLI's main class
   * @param lab the lab every command acts on (as {@code MESHCTL_LAB}, so an explicit {@code --lab} still wins)
   */
  public static MeshctlWrapper create(Path java, String classpath, String mainClass, String lab) {
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(classpath, "classpath");
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(lab, "lab");
    try {
      Path dir = Files.createTempDirectory("meshctl-workshop");
      Path script = dir.resolve("meshctl");
      Files.writeString(script, script(java, classpath, mainClass, lab), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
      return new MeshctlWrapper(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the meshctl wrapper for workshop commands: " + e.getMessage(), e);
    }
  }

  /** Returns the script's text; short-lived JVMs start faster with serial GC and C1 only. */
  static String script(Path java, String classpath, String mainClass, String lab) {
    return "#!/bin/sh\n"
        + "# Runs the meshctl that started this workshop, on lab " + lab + ".\n"
        + "MESHCTL_LAB=" + quote(lab) + "\nexport MESHCTL_LAB\n"
        + "exec " + quote(java.toString()) + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp " + quote(classpath)
        + " " + mainClass + " \"$@\"\n";
  }

  /** Returns the folder to put first on PATH. */
  public Path dir() {
    return dir;
  }

  /** Returns {@code path} with the wrapper's folder in front. */
  public String path(String path) {
    return path == null || path.isBlank() ? dir.toString() : dir + ":" + path;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }
}
