package dev.meshctl.lab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageCatalogTest {
  private final ImageCatalog catalog = new ImageCatalog(Path.of("/usr/bin/java"), "/x/meshctl.jar");

  @Test
  void stripsRegistryTagAndDigest() {
    assertThat(ImageCatalog.repository("docker.io/meshctl/sample-app:0.1.0")).isEqualTo("meshctl/sample-app");
    assertThat(ImageCatalog.repository("meshctl/curl@sha256:abc")).isEqualTo("meshctl/curl");
    assertThat(ImageCatalog.repository("localhost:5000/meshctl/curl")).isEqualTo("localhost:5000/meshctl/curl");
  }

  @Test
  void runsTheSampleAppFromTheJarAndCurlAsAnIdleProcess() {
    assertThat(catalog.command("meshctl/sample-app:0.1.0").orElseThrow())
        .contains("-cp", "/x/meshctl.jar", "dev.meshctl.lab.sample.SampleApp").first().isEqualTo("/usr/bin/java");
    assertThat(catalog.command("curlimages/curl").orElseThrow()).containsExactly("sleep", "infinity");
    assertThat(catalog.command("nginx:1.25")).isEmpty();
  }
}
