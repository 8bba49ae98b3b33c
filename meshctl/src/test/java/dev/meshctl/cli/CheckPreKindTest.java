package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `meshctl check --pre --provider kind` runs the kind preflight; what passes depends on this machine. */
class CheckPreKindTest {
  @TempDir
  Path home;

  @Test
  void checksDockerTheKindCliAndBothInotifyLimits() {
    CliRun.Result r = new CliRun(home).run("check", "--pre", "--provider", "kind");
    assertThat(r.out()).contains("docker\n------", "kind\n----", "kernel\n------",
        "fs.inotify.max_user_watches", "fs.inotify.max_user_instances", "Status check results are");
    boolean failed = r.out().contains("×");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(failed ? 1 : 0);
    if (r.out().contains("× no Docker socket") || r.out().contains("× cannot reach Docker")) {
      assertThat(r.out()).contains("--provider netns");
    }
  }

  @Test
  void jsonNamesEveryCheckAndItsHint() {
    CliRun.Result r = new CliRun(home).run("check", "--pre", "--provider", "kind", "-o", "json");
    assertThat(r.out()).contains("\"category\" : \"docker\"", "\"category\" : \"kernel\"", "\"success\" : ");
    if (r.out().contains("\"result\" : \"error\"")) {
      assertThat(r.out()).contains("\"hint\" : ");
    }
  }

  @Test
  void anUnknownProviderIsNamed() {
    CliRun.Result r = new CliRun(home).run("check", "--pre", "--provider", "nope");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("unknown provider \"nope\"").contains("kind");
  }
}
