package dev.meshctl.lab.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.kind.DockerSocket;
import dev.meshctl.lab.kind.NodeImageLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Looks images up in a real Docker daemon; skips, saying so, where there is none. */
@Tag("docker")
class DockerImageDaemonTest {
  @BeforeEach
  void needsDocker() {
    DockerSocket.Status docker = DockerSocket.ping(System.getenv());
    Assumptions.assumeTrue(docker.up(), () -> "skipped: no Docker engine (" + docker.problem() + "); start Docker"
        + " to test building the base image through the Docker API");
  }

  @Test
  void reportsAMissingImage() throws Exception {
    try (var docker = NodeImageLoader.connect()) {
      assertThat(new DockerImageDaemon(docker, System.err::println).has("meshctl/no-such-image:0.0.0")).isFalse();
    }
  }
}
