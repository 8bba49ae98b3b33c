package dev.meshctl.lab.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Looks images up and builds them through docker-java, streaming the build's output line by line. */
public final class DockerImageDaemon implements ImageDaemon {
  private final DockerClient docker;
  private final Consumer<String> output;

  /** Uses {@code docker}; {@code output} receives the build's lines (the CLI prints them on stderr). */
  public DockerImageDaemon(DockerClient docker, Consumer<String> output) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.output = Objects.requireNonNull(output, "output");
  }

  @Override
  public boolean has(String ref) {
    Objects.requireNonNull(ref, "ref");
    try {
      docker.inspectImageCmd(ref).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public void build(String dockerfile, String tag) {
    Objects.requireNonNull(dockerfile, "dockerfile");
    Objects.requireNonNull(tag, "tag");
    Path dir = null;
    try {
      // The daemon reads a build context, not a string: a directory holding only the Dockerfile is the context.
      dir = Files.createTempDirectory("meshctl-base");
      Path file = Files.writeString(dir.resolve("Dockerfile"), dockerfile);
      docker.buildImageCmd(file.toFile()).withTags(Set.of(tag)).withPull(true)
          .exec(new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
              if (item.getStream() != null && !item.getStream().isBlank()) {
                output.accept(item.getStream().stripTrailing());
              }
              super.onNext(item);
            }
          }).awaitImageId();
    } catch (IOException e) {
      throw new LabException("cannot write the Dockerfile of " + tag + " to a temporary directory: " + e.getMessage(),
          e);
    } catch (DockerClientException | DockerException e) {
      throw new LabException("building base image " + tag + " failed: " + e.getMessage() + "; the build pulls"
          + " eclipse-temurin:17-jre and Debian packages, so check that Docker reaches its registry and the Debian"
          + " mirrors, or set " + MeshImages.BASE_ENV + " to a base you have", e);
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary Dockerfile is harmless.
    }
  }
}
