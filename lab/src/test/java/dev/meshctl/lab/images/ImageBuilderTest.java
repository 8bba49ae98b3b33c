package dev.meshctl.lab.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
  @TempDir
  Path dir;

  @Test
  void buildsALoadableTarballWithNoDocker() throws IOException {
    Path jar = Files.writeString(dir.resolve("whatever-name.jar"), "not really a jar");
    List<String> steps = new ArrayList<>();
    Path tar = new ImageBuilder(steps::add).build(jar, new ImageBuilder.Scratch(), "meshctl/meshctl:9.9.9",
        ImageBuilder.Target.tarball(dir.resolve("image.tar")));

    String manifest = entry(tar, "manifest.json");
    assertThat(manifest).contains("meshctl/meshctl:9.9.9");
    String config = entry(tar, "config.json");
    assertThat(config).contains("/app/meshctl.jar").contains("\"java\"");
    assertThat(steps).anyMatch(s -> s.contains("building image meshctl/meshctl:9.9.9"));
  }

  @Test
  void refusesLatestMissingJarsAndBadReferences() throws IOException {
    Path jar = Files.writeString(dir.resolve("meshctl.jar"), "x");
    ImageBuilder builder = new ImageBuilder(s -> {});
    var target = ImageBuilder.Target.tarball(dir.resolve("i.tar"));
    assertThatThrownBy(() -> builder.build(jar, new ImageBuilder.Scratch(), "meshctl/meshctl:latest", target))
        .isInstanceOf(LabException.class).hasMessageContaining("version tag");
    assertThatThrownBy(() -> builder.build(jar, new ImageBuilder.Scratch(), "meshctl/meshctl", target))
        .isInstanceOf(LabException.class).hasMessageContaining("version tag");
    assertThatThrownBy(() -> builder.build(jar, new ImageBuilder.Scratch(), "Bad Ref:1", target))
        .isInstanceOf(LabException.class).hasMessageContaining("not an image reference");
    assertThatThrownBy(() -> builder.build(dir.resolve("missing.jar"), new ImageBuilder.Scratch(), "a/b:1", target))
        .isInstanceOf(LabException.class).hasMessageContaining("mvn -pl meshctl -am package");
  }

  @Test
  void baseIsOverridableAndImageIsVersioned() {
    assertThat(MeshImages.base(Map.of())).isEqualTo(MeshImages.DEFAULT_BASE);
    assertThat(MeshImages.base(Map.of(MeshImages.BASE_ENV, "my/jre:1"))).isEqualTo("my/jre:1");
    assertThat(MeshImages.image()).startsWith("meshctl/meshctl:").doesNotEndWith(":latest");
    assertThat(MeshImages.BASE_DOCKERFILE).contains("FROM eclipse-temurin:17-jre").contains("iptables iproute2");
  }

  private static String entry(Path tar, String name) throws IOException {
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        if (e.getName().equals(name)) {
          return new String(t.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError(name + " not in " + tar);
  }
}
