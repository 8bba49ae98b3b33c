package dev.meshctl.lab.workload;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Finds the classpath that child processes (pods, components) are started with. */
public final class Launch {
  private Launch() {}

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
