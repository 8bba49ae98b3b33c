package dev.meshctl.lab.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.lab.LabException;
import dev.meshctl.lab.LabSpec;
import dev.meshctl.lab.Progress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KindProviderTest {
  @TempDir
  Path dir;

  private KindProvider withoutDocker() {
    return new KindProvider(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock")));
  }

  @Test
  void upWithoutDockerFailsAtOnceNamingDockerAndWhatToDo() {
    assertThatThrownBy(() -> withoutDocker().up(new LabSpec("default", 2, "kind"), dir.resolve("lab"), Progress.NONE))
        .isInstanceOf(LabException.class).hasMessageContaining("needs Docker").hasMessageContaining("--provider netns");
    assertThatThrownBy(() -> withoutDocker().down("default", dir.resolve("lab"), Progress.NONE))
        .isInstanceOf(LabException.class).hasMessageContaining("Docker");
  }

  @Test
  void preflightReportsDockerAsFailedWithAHint() {
    var checks = withoutDocker().preflight();
    assertThat(checks).anySatisfy(c -> {
      assertThat(c.category()).isEqualTo("docker");
      assertThat(c.ok()).isFalse();
      assertThat(c.hint()).contains("Docker");
    });
    assertThat(checks).filteredOn(c -> c.category().equals("kind")).singleElement()
        .satisfies(c -> assertThat(c.ok()).isTrue());
  }

  @Test
  void openWithoutStateSaysHowToBringTheLabUp() {
    assertThatThrownBy(() -> withoutDocker().open("default", dir.resolve("lab")))
        .isInstanceOf(LabException.class).hasMessageContaining("meshctl lab up --provider kind");
  }

  @Test
  void inotifyCheckNamesTheSysctl() {
    var check = KindProvider.inotify("max_user_watches", Long.MAX_VALUE);
    assertThat(check.ok()).isFalse();
    assertThat(check.hint()).startsWith("sudo sysctl -w fs.inotify.max_user_watches=");
  }

  @Test
  void inotifyLimitsAreCheckedAgainstKindsMinimumsWithTheSysctlToFix() {
    var low = KindProvider.inotify("max_user_instances", java.util.Optional.of(128L), 512);
    assertThat(low.ok()).isFalse();
    assertThat(low.category()).isEqualTo("kernel");
    assertThat(low.description()).isEqualTo("fs.inotify.max_user_instances = 128 (kind needs >= 512)");
    assertThat(low.hint()).startsWith("sudo sysctl -w fs.inotify.max_user_instances=512")
        .contains("/etc/sysctl.d/");
    assertThat(KindProvider.inotify("max_user_watches", java.util.Optional.of(524_288L), 524_288).ok()).isTrue();
    var unreadable = KindProvider.inotify("max_user_watches", java.util.Optional.empty(), 524_288);
    assertThat(unreadable.ok()).isFalse();
    assertThat(unreadable.description()).contains("cannot read fs.inotify.max_user_watches");
  }

  @Test
  void preflightAlwaysChecksBothInotifyLimitsAndSaysHowClustersAreCreated() {
    var checks = withoutDocker().preflight();
    assertThat(checks).filteredOn(c -> c.category().equals("kernel")).extracting(c -> c.description())
        .anyMatch(d -> d.startsWith("fs.inotify.max_user_watches") || d.contains("max_user_watches"))
        .anyMatch(d -> d.startsWith("fs.inotify.max_user_instances") || d.contains("max_user_instances"));
    assertThat(KindProvider.kindCli(java.util.Optional.empty()).description()).contains("Testcontainers");
    assertThat(KindProvider.kindCli(java.util.Optional.of(Path.of("/usr/local/bin/kind"))).description())
        .contains("/usr/local/bin/kind").contains("multi-node");
  }

  @Test
  void kindConfigHasOneControlPlaneAndWorkers() {
    assertThat(KindConfig.render(3)).contains("- role: control-plane\n- role: worker\n- role: worker\n");
    assertThat(KindConfig.render(1)).doesNotContain("worker");
    assertThat(KindConfig.context("default")).isEqualTo("kind-meshctl-default");
    assertThatIllegalArgumentException().isThrownBy(() -> KindConfig.render(0));
  }
}
