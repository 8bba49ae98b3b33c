package dev.meshctl.lab.kind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.LabSpec;
import dev.meshctl.lab.Progress;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brings a real kind lab up and down; needs a Docker engine and skips, saying so, where there is none. */
@Tag("docker")
class KindDockerTest {
  @TempDir
  Path dir;

  @BeforeEach
  void needsDocker() {
    DockerSocket.Status docker = DockerSocket.ping(System.getenv());
    Assumptions.assumeTrue(docker.up(), () -> "skipped: no Docker engine (" + docker.problem() + "); start Docker"
        + " to run the kind provider's tests");
  }

  @Test
  void upStatusDown() {
    KindProvider provider = new KindProvider();
    Path state = dir.resolve("lab");
    try {
      KindCluster cluster = (KindCluster) provider.up(new LabSpec("ktest", 1, KindProvider.NAME), state,
          s -> System.err.println(s));
      assertThat(cluster.nodes()).isNotEmpty();
      assertThat(cluster.status().nodes()).isNotEmpty();
    } finally {
      provider.down("ktest", state, Progress.NONE);
    }
  }
}
