package dev.meshctl.lab.workload;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Finds the classpath that child processes (pods, components) are started with. */
public final class Launch {
  private Launch() {}

  /**
   * Returns the classpath for long-running child processes: when it is a single jar, a copy of it in {@code cacheDir}
   * named by its size and modification time, so rebuilding the jar never pulls classes from under running pods and
   * components (a JVM loads classes lazily from its jar).
   */
  public static String stableClasspath(Path cacheDir) {
    String cp = classpath();
    Path jar = Path.of(cp);
    if (!cp.endsWith(".jar") || cp.contains(java.io.File.pathSeparator) || !java.nio.file.Files.isRegularFile(jar)) {
      return cp;
    }
    try {
      String key = java.nio.file.Files.size(jar) + "-" + java.nio.file.Files.getLastModifiedTime(jar).toMillis();
      Path copy = cacheDir.resolve("meshctl-" + key + ".jar");
      if (!java.nio.file.Files.exists(copy)) {
        java.nio.file.Files.createDirectories(cacheDir);
        Path tmp = java.nio.file.Files.createTempFile(cacheDir, ".meshctl", ".jar");
        java.nio.file.Files.copy(jar, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.move(tmp, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return copy.toString();
    } catch (java.io.IOException e) {
      return cp;
    }
  }

  /**
   * Returns {@code meshctl.classpath} or {@code MESHCTL_JAR} when set, else the jar this class was loaded from, else
   * this JVM's classpath (in tests, where classes come from directories).
   */
  public static String classpath() {
    String prop = System.getProperty("meshctl.classpath");
    if (prop != null && !prop.isBlank()) {
      return prop;
    }
    String env = System.getenv("MESHCTL_JAR");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      var source = Launch.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path path = Path.of(source.getLocation().toURI());
        if (path.toString().endsWith(".jar")) {
          return path.toString();
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the JVM's own classpath
    }
    return System.getProperty("java.class.path");
  }
}
