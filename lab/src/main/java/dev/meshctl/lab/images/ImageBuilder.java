package dev.meshctl.lab.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Builds the mesh image from the meshctl jar with Jib: the jar in its own layer on a JRE base, entrypoint
 * {@code java -jar /app/meshctl.jar}, so a pod's args pick the component.
 *
 * <pre>{@code
 * Path tar = new ImageBuilder(Progress.NONE).build(jar, Base.daemon("meshctl/jre-net:17"),
 *     MeshImages.image(), Target.tarball(dir.resolve("meshctl.tar")));
 * }</pre>
 */
public final class ImageBuilder {
  private final Progress progress;

  public ImageBuilder(Progress progress) {
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Where the base image comes from. */
  public sealed interface Base permits Scratch, FromDaemon, FromRegistry, FromTarball {
    static Base daemon(String ref) {
      return new FromDaemon(ref);
    }
  }

  /** An empty base (tests, or a jar that brings its own runtime). */
  public record Scratch() implements Base {}

  /** A base image held by the local Docker daemon. */
  public record FromDaemon(String ref) implements Base {}

  /** A base image pulled from a registry. */
  public record FromRegistry(String ref) implements Base {}

  /** A base image saved as a {@code docker save} tarball. */
  public record FromTarball(Path tar) implements Base {}

  /** Where the built image goes. */
  public sealed interface Target permits Daemon, Tarball {
    static Target tarball(Path file) {
      return new Tarball(file);
    }
  }

  /** The local Docker daemon. */
  public record Daemon() implements Target {}

  /** A {@code docker load}-able tarball. */
  public record Tarball(Path file) implements Target {}

  /**
   * Builds image {@code ref} holding {@code jar}; returns the tarball's path, or {@code null} for the daemon.
   *
   * @throws LabException naming what failed: the jar, the reference, the base or the build
   */
  public Path build(Path jar, Base base, String ref, Target target) {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(target, "target");
    if (!Files.isRegularFile(jar)) {
      throw new LabException("the meshctl jar " + jar + " does not exist: build it with `mvn -pl meshctl -am package`");
    }
    try {
      ImageReference image = ImageReference.parse(ref);
      if (image.getTag().isEmpty() || image.getTag().get().equals("latest")) {
        throw new LabException("image " + ref + " needs a version tag, not latest");
      }
      JibContainerBuilder builder = from(base);
      builder.addFileEntriesLayer(com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer.builder()
              .setName("meshctl").addEntry(jar, AbsoluteUnixPath.get(MeshImages.JAR_PATH)).build())
          .setEntrypoint("java", "-XX:+ExitOnOutOfMemoryError", "-jar", MeshImages.JAR_PATH)
          .addLabel("org.opencontainers.image.version", image.getTag().get());
      progress.step("building image " + ref + " with Jib");
      Containerizer to = target instanceof Tarball t ? Containerizer.to(TarImage.at(t.file()).named(image))
          : Containerizer.to(DockerDaemonImage.named(image));
      builder.containerize(to.setToolName("meshctl").addEventHandler(
          com.google.cloud.tools.jib.api.LogEvent.class, e -> {
            if (e.getLevel() == com.google.cloud.tools.jib.api.LogEvent.Level.LIFECYCLE) {
              progress.step(e.getMessage());
            }
          }));
      return target instanceof Tarball t ? t.file() : null;
    } catch (InvalidImageReferenceException e) {
      throw new LabException("\"" + ref + "\" is not an image reference (e.g. meshctl/meshctl:0.1.0)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while building image " + ref, e);
    } catch (LabException e) {
      throw e;
    } catch (Exception e) {
      throw new LabException("building image " + ref + " failed: " + e.getMessage() + (base instanceof FromDaemon d
          ? " (is the base " + d.ref() + " in the Docker daemon? build it from MeshImages.BASE_DOCKERFILE)" : ""), e);
    }
  }

  private static JibContainerBuilder from(Base base) throws InvalidImageReferenceException {
    if (base instanceof FromDaemon d) {
      return Jib.from(DockerDaemonImage.named(d.ref()));
    }
    if (base instanceof FromRegistry r) {
      return Jib.from(RegistryImage.named(r.ref()));
    }
    if (base instanceof FromTarball t) {
      return Jib.from(TarImage.at(t.tar()));
    }
    return Jib.fromScratch();
  }
}
