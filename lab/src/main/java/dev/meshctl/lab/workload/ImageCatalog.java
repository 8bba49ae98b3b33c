package dev.meshctl.lab.workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps container images to the processes the lab runs for them. The lab has no container runtime: a pod is a
 * process in its own network namespace, so only images whose behaviour ships in the meshctl jar are known.
 */
public final class ImageCatalog {
  /** The sample application (every bookstore role and the echo service). */
  public static final String SAMPLE_APP = "meshctl/sample-app";
  /** An idle client pod: `meshctl exec` runs the machine's curl inside it. */
  public static final String CURL = "meshctl/curl";
  private static final List<String> CURL_ALIASES = List.of(CURL, "curlimages/curl");
  /** A waypoint: runs {@code meshctl component waypoint}, configured by env (WAYPOINT_NAMESPACE, ...). */
  public static final String WAYPOINT = "meshctl/waypoint";
  private static final String SAMPLE_APP_MAIN = "dev.meshctl.lab.sample.SampleApp";

  private final Path javaBin;
  private final java.util.function.Supplier<String> classpath;

  public ImageCatalog(Path javaBin, String classpath) {
    this.javaBin = javaBin;
    this.classpath = () -> classpath;
  }

  private ImageCatalog(Path javaBin, java.util.function.Supplier<String> classpath) {
    this.javaBin = javaBin;
    this.classpath = classpath;
  }

  /** Builds the catalog for this JVM: its own java binary and a stable copy of the classpath in {@code cacheDir}. */
  public static ImageCatalog forThisJvm(Path cacheDir) {
    String[] resolved = new String[1];
    return new ImageCatalog(Path.of(System.getProperty("java.home"), "bin", "java"), () -> {
      if (resolved[0] == null) {
        resolved[0] = Launch.stableClasspath(cacheDir);
      }
      return resolved[0];
    });
  }

  /** Lists the images the lab knows, for error messages. */
  public static List<String> known() {
    List<String> all = new ArrayList<>();
    all.add(SAMPLE_APP);
    all.addAll(CURL_ALIASES);
    all.add(WAYPOINT);
    return all;
  }

  /** Strips the tag and any {@code docker.io/} registry prefix: {@code docker.io/meshctl/curl:1} -> {@code meshctl/curl}. */
  public static String repository(String image) {
    String repo = image;
    int digest = repo.indexOf('@');
    if (digest >= 0) {
      repo = repo.substring(0, digest);
    }
    int slash = repo.lastIndexOf('/');
    int colon = repo.lastIndexOf(':');
    if (colon > slash) {
      repo = repo.substring(0, colon);
    }
    if (repo.startsWith("docker.io/")) {
      repo = repo.substring("docker.io/".length());
    }
    return repo;
  }

  /** Returns the command for {@code image}, or empty when the lab cannot run it. */
  public Optional<List<String>> command(String image) {
    String repo = repository(image);
    if (SAMPLE_APP.equals(repo)) {
      return Optional.of(List.of(javaBin.toString(),
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss256k", "-Xmx64m",
          "-XX:+IgnoreUnrecognizedVMOptions", "-Xshare:auto", "-Dsun.net.inetaddr.ttl=1",
          "-cp", classpath.get(), SAMPLE_APP_MAIN));
    }
    if (WAYPOINT.equals(repo)) {
      // A proxy on the request path: the optimizing JIT (C2) is worth its start-up cost here, unlike for the sample
      // app (scripts/bench-waypoint: 0.60 -> 0.43 vCPU per 1000 req/s); the footprint caps match the node agent's.
      return Optional.of(List.of(javaBin.toString(), "-Djava.net.preferIPv4Stack=true",
          "-XX:+UseSerialGC", "-Xms24m", "-Xmx128m", "-XX:MaxDirectMemorySize=64m", "-XX:ReservedCodeCacheSize=32m",
          "-XX:MaxMetaspaceSize=96m", "-XX:CICompilerCount=2", "-Xss512k", "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30", "-XX:+IgnoreUnrecognizedVMOptions", "-Xshare:auto",
          "-cp", classpath.get(), "dev.meshctl.cli.Main", "component", "waypoint"));
    }
    if (CURL_ALIASES.contains(repo)) {
      return Optional.of(List.of("sleep", "infinity"));
    }
    return Optional.empty();
  }

  /** Tells whether the image is an idle client whose {@code command: [sleep, ...]} may be given. */
  public static boolean isIdleClient(String image) {
    return CURL_ALIASES.contains(repository(image));
  }
}
