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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImageTest {
  @TempDir
  Path dir;

  @Test
  void defaultsToTheDaemonsBaseWhenDockerAnswers() {
    assertThat(BaseImage.choose(Map.of(), true)).isEqualTo(new ImageBuilder.FromDaemon(MeshImages.DEFAULT_BASE));
    assertThat(BaseImage.choose(Map.of(MeshImages.BASE_ENV, " "), true))
        .isEqualTo(new ImageBuilder.FromDaemon(MeshImages.DEFAULT_BASE));
  }

  @Test
  void withoutDockerOrABaseTheErrorSaysExactlyWhatToRun() {
    assertThatThrownBy(() -> BaseImage.choose(Map.of(), false)).isInstanceOf(LabException.class)
        .hasMessageContaining("without a Docker daemon needs a base image from a registry or a tar")
        .hasMessageContaining("| docker build -t meshctl/jre-net:17 - && docker save meshctl/jre-net:17 -o ")
        .hasMessageContaining("MESHCTL_BASE_IMAGE=tar://")
        .hasMessageContaining("MESHCTL_BASE_IMAGE=registry://");
  }

  @Test
  void theCommandInTheErrorReproducesTheDockerfile() {
    String message = BaseImage.noDaemonMessage();
    String printf = message.substring(message.indexOf("printf '") + "printf '".length());
    printf = printf.substring(0, printf.indexOf("' |"));
    assertThat(printf.replace("\\n", "\n")).isEqualTo(MeshImages.BASE_DOCKERFILE);
    assertThat(MeshImages.BASE_DOCKERFILE).doesNotContain("'", "%");
  }

  @Test
  void readsJibsPrefixes() throws IOException {
    Path tar = Files.writeString(dir.resolve("base.tar"), "x");
    assertThat(BaseImage.choose(Map.of(MeshImages.BASE_ENV, "tar://" + tar), false))
        .isEqualTo(new ImageBuilder.FromTarball(tar));
    assertThat(BaseImage.choose(Map.of(MeshImages.BASE_ENV, "registry://eclipse-temurin:17-jre"), true))
        .isEqualTo(new ImageBuilder.FromRegistry("eclipse-temurin:17-jre"));
    assertThat(BaseImage.choose(Map.of(MeshImages.BASE_ENV, "docker://my/jre:1"), true))
        .isEqualTo(new ImageBuilder.FromDaemon("my/jre:1"));
    assertThat(BaseImage.choose(Map.of(MeshImages.BASE_ENV, "my/jre:1"), true))
        .isEqualTo(new ImageBuilder.FromDaemon("my/jre:1"));
    assertThat(BaseImage.choose(Map.of(MeshImages.BASE_ENV, "my/jre:1"), false))
        .as("a bare reference with no daemon is pulled from its registry")
        .isEqualTo(new ImageBuilder.FromRegistry("my/jre:1"));
  }

  @Test
  void refusesBasesThatCannotBeReached() {
    assertThatThrownBy(() -> BaseImage.choose(Map.of(MeshImages.BASE_ENV, "tar://" + dir.resolve("none.tar")), true))
        .isInstanceOf(LabException.class).hasMessageContaining("does not exist").hasMessageContaining("docker save");
    assertThatThrownBy(() -> BaseImage.choose(Map.of(MeshImages.BASE_ENV, "docker://my/jre:1"), false))
        .isInstanceOf(LabException.class).hasMessageContaining("needs a Docker daemon")
        .hasMessageContaining("registry://REF or tar://PATH");
  }

  @Test
  void ensureBuildsTheDefaultBaseOnlyWhenItIsMissing() {
    FakeDaemon daemon = new FakeDaemon();
    List<String> steps = new ArrayList<>();
    BaseImage.ensure(daemon, MeshImages.DEFAULT_BASE, steps::add);
    assertThat(daemon.builds).containsExactly(MeshImages.DEFAULT_BASE + "<-" + MeshImages.BASE_DOCKERFILE);
    assertThat(steps).anyMatch(s -> s.contains("is missing: building it once"));

    BaseImage.ensure(daemon, MeshImages.DEFAULT_BASE, steps::add);
    assertThat(daemon.builds).as("built once per daemon").hasSize(1);
  }

  @Test
  void ensureDoesNotBuildAnOverriddenBaseAndSaysHowToGetIt() {
    FakeDaemon daemon = new FakeDaemon();
    assertThatThrownBy(() -> BaseImage.ensure(daemon, "my/jre:1", s -> {})).isInstanceOf(LabException.class)
        .hasMessageContaining("docker pull my/jre:1").hasMessageContaining("unset MESHCTL_BASE_IMAGE");
    assertThat(daemon.builds).isEmpty();
  }

  @Test
  void ensureNoticesABuildThatLeftNoImage() {
    FakeDaemon daemon = new FakeDaemon();
    daemon.forgetful = true;
    assertThatThrownBy(() -> BaseImage.ensure(daemon, MeshImages.DEFAULT_BASE, s -> {}))
        .isInstanceOf(LabException.class).hasMessageStartingWith("BUG:");
  }

  @Test
  void aBaseFromATarBuildsTheMeshImageWithNoDocker() throws IOException {
    // A stand-in for `docker save meshctl/jre-net:17`: any image tarball serves as a base.
    Path base = new ImageBuilder(s -> {}).build(Files.writeString(dir.resolve("base.jar"), "base"),
        new ImageBuilder.Scratch(), "meshctl/jre-net:17", ImageBuilder.Target.tarball(dir.resolve("jre-net.tar")));
    ImageBuilder.Base chosen = BaseImage.choose(Map.of(MeshImages.BASE_ENV, "tar://" + base), false);

    Path image = new ImageBuilder(s -> {}).build(Files.writeString(dir.resolve("meshctl.jar"), "jar"), chosen,
        "meshctl/meshctl:9.9.9", ImageBuilder.Target.tarball(dir.resolve("meshctl.tar")));

    assertThat(entry(image, "manifest.json")).contains("meshctl/meshctl:9.9.9");
    assertThat(layers(image)).as("the base's layer and the jar's layer").isEqualTo(2);
  }

  private static final class FakeDaemon implements ImageDaemon {
    final Set<String> images = new HashSet<>();
    final List<String> builds = new ArrayList<>();
    boolean forgetful;

    @Override
    public boolean has(String ref) {
      return images.contains(ref);
    }

    @Override
    public void build(String dockerfile, String tag) {
      builds.add(tag + "<-" + dockerfile);
      if (!forgetful) {
        images.add(tag);
      }
    }
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

  private static long layers(Path tar) throws IOException {
    String manifest = entry(tar, "manifest.json");
    String list = manifest.substring(manifest.indexOf("\"Layers\""));
    list = list.substring(list.indexOf('['), list.indexOf(']'));
    return list.chars().filter(c -> c == ',').count() + 1;
  }
}
