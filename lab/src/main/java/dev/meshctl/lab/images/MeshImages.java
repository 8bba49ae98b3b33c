package dev.meshctl.lab.images;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Names the mesh's image and its base. One image runs every component ({@code meshctl component control-plane |
 * node-agent | waypoint | sample-app}); its base is a JRE with iptables and iproute2 for the node agent, built once
 * per Docker daemon from {@link #BASE_DOCKERFILE} and overridable with {@code MESHCTL_BASE_IMAGE}.
 */
public final class MeshImages {
  /** The repository of the mesh image. */
  public static final String REPOSITORY = "meshctl/meshctl";
  /** The default base: eclipse-temurin:17-jre plus iptables and iproute2. */
  public static final String DEFAULT_BASE = "meshctl/jre-net:17";
  /** The environment variable that names another base image. */
  public static final String BASE_ENV = "MESHCTL_BASE_IMAGE";
  /** How {@link #DEFAULT_BASE} is built (the kind provider builds it through the Docker API when it is missing). */
  public static final String BASE_DOCKERFILE = String.join("\n",
      "FROM eclipse-temurin:17-jre",
      "RUN apt-get update && apt-get install -y --no-install-recommends iptables iproute2 tcpdump"
          + " && rm -rf /var/lib/apt/lists/*",
      "");
  /** Where the jar lives in the image. */
  public static final String JAR_PATH = "/app/meshctl.jar";
  static final String FALLBACK_VERSION = "0.1.0";

  private MeshImages() {}

  /** Returns the base image: {@code MESHCTL_BASE_IMAGE} when set, else {@link #DEFAULT_BASE}. */
  public static String base(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String custom = env.get(BASE_ENV);
    return custom == null || custom.isBlank() ? DEFAULT_BASE : custom.trim();
  }

  /** Returns the mesh image tagged with the project version (never {@code latest}). */
  public static String image() {
    return REPOSITORY + ":" + version();
  }

  /** Returns the project version, read from the jar's Maven metadata. */
  public static String version() {
    try (InputStream in = MeshImages.class.getResourceAsStream("/META-INF/maven/dev.meshctl/lab/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
    } catch (IOException e) {
      // Falls through: a build from classes (tests, IDE) has no Maven metadata.
    }
    return FALLBACK_VERSION;
  }
}
