package dev.meshctl.lab.images;

import dev.meshctl.lab.LabException;
import dev.meshctl.lab.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Decides where the mesh image's base comes from and makes sure the default base exists. {@code MESHCTL_BASE_IMAGE}
 * takes Jib's prefixes: {@code docker://REF} (the local daemon), {@code registry://REF} (pulled by Jib) or
 * {@code tar://PATH} (a {@code docker save} archive); a bare reference means the daemon when one answers, else a
 * registry. Without the variable the base is {@link MeshImages#DEFAULT_BASE}, which exists only where it was built from
 * {@link MeshImages#BASE_DOCKERFILE}: {@link #ensure} builds it through the Docker API when it is missing.
 *
 * <pre>{@code
 * ImageBuilder.Base base = BaseImage.choose(System.getenv(), daemonUp);
 * if (base instanceof ImageBuilder.FromDaemon d) {
 *   BaseImage.ensure(new DockerImageDaemon(docker, System.err::println), d.ref(), progress);
 * }
 * }</pre>
 */
public final class BaseImage {
  static final String DOCKER = "docker://";
  static final String REGISTRY = "registry://";
  static final String TAR = "tar://";

  private BaseImage() {}

  /**
   * Returns the base to build on, given the environment and whether a Docker daemon answers.
   *
   * @throws LabException naming the commands to run when no base can be reached (no daemon, no override, or a
   *     {@code tar://} file that does not exist)
   */
  public static ImageBuilder.Base choose(Map<String, String> env, boolean daemonUp) {
    Objects.requireNonNull(env, "env");
    String value = env.get(MeshImages.BASE_ENV);
    if (value == null || value.isBlank()) {
      if (!daemonUp) {
        throw new LabException(noDaemonMessage());
      }
      return new ImageBuilder.FromDaemon(MeshImages.DEFAULT_BASE);
    }
    value = value.trim();
    if (value.startsWith(TAR)) {
      Path tar = Path.of(value.substring(TAR.length()));
      if (!Files.isRegularFile(tar)) {
        throw new LabException(MeshImages.BASE_ENV + " names " + tar + ", which does not exist: " + saveCommand(tar));
      }
      return new ImageBuilder.FromTarball(tar);
    }
    if (value.startsWith(REGISTRY)) {
      return new ImageBuilder.FromRegistry(value.substring(REGISTRY.length()));
    }
    if (value.startsWith(DOCKER)) {
      if (!daemonUp) {
        throw new LabException(MeshImages.BASE_ENV + "=" + value + " needs a Docker daemon, and none answers: start"
            + " Docker, or use registry://REF or tar://PATH instead");
      }
      return new ImageBuilder.FromDaemon(value.substring(DOCKER.length()));
    }
    return daemonUp ? new ImageBuilder.FromDaemon(value) : new ImageBuilder.FromRegistry(value);
  }

  /**
   * Makes sure base {@code ref} is in the daemon: builds {@link MeshImages#DEFAULT_BASE} from its Dockerfile when it is
   * missing; any other missing base is an error that says how to get it.
   */
  public static void ensure(ImageDaemon daemon, String ref, Progress progress) {
    Objects.requireNonNull(daemon, "daemon");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(progress, "progress");
    if (daemon.has(ref)) {
      return;
    }
    if (!ref.equals(MeshImages.DEFAULT_BASE)) {
      throw new LabException("base image " + ref + " (from " + MeshImages.BASE_ENV + ") is not in the Docker daemon:"
          + " run `docker pull " + ref + "`, or unset " + MeshImages.BASE_ENV + " to use " + MeshImages.DEFAULT_BASE);
    }
    progress.step("base image " + ref + " is missing: building it once from MeshImages.BASE_DOCKERFILE"
        + " (eclipse-temurin:17-jre + iptables, iproute2, tcpdump)");
    daemon.build(MeshImages.BASE_DOCKERFILE, ref);
    if (!daemon.has(ref)) {
      throw new LabException("BUG: the Docker build of " + ref + " succeeded but the daemon does not list it");
    }
  }

  /** Says what to do when the image is built to a tarball with no Docker daemon and no base named. */
  static String noDaemonMessage() {
    Path tar = Path.of("jre-net.tar").toAbsolutePath();
    return "building the mesh image without a Docker daemon needs a base image from a registry or a tar, and the"
        + " default base " + MeshImages.DEFAULT_BASE + " exists only in a Docker daemon that built it. Either: (1) on"
        + " a machine with Docker, " + saveCommand(tar) + "; or (2) set " + MeshImages.BASE_ENV
        + "=registry://REGISTRY/IMAGE:TAG to a JRE 17 image that has iptables and iproute2 (the node agent needs"
        + " them; plain registry://eclipse-temurin:17-jre runs the control plane and waypoints only)";
  }

  private static String saveCommand(Path tar) {
    // The Dockerfile holds no quote or percent sign, so printf reproduces it from one single-quoted line.
    return "run `printf '" + MeshImages.BASE_DOCKERFILE.replace("\n", "\\n") + "' | docker build -t "
        + MeshImages.DEFAULT_BASE + " - && docker save " + MeshImages.DEFAULT_BASE + " -o "
        + tar + "`, then set " + MeshImages.BASE_ENV + "=" + TAR + tar;
  }
}
