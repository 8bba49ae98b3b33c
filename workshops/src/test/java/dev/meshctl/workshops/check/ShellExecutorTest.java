package dev.meshctl.workshops.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellExecutorTest {
  @TempDir
  Path dir;

  @Test
  void runsInTheDirectoryWithTheGivenEnvironment() throws Exception {
    ShellExecutor shell = new ShellExecutor(Map.of("GREETING", "hello", "PATH", "/usr/bin:/bin"), dir);
    ExecResult r = shell.run("echo $GREETING; pwd; echo oops >&2; exit 3", Duration.ofSeconds(30));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("hello\n" + dir.toRealPath(java.nio.file.LinkOption.NOFOLLOW_LINKS) + "\n");
    assertThat(r.stderr()).isEqualTo("oops\n");
    assertThat(r.timedOut()).isFalse();
  }

  @Test
  void killsAScriptThatOverruns() throws Exception {
    ShellExecutor shell = new ShellExecutor(Map.of("PATH", "/usr/bin:/bin"), dir);
    ExecResult r = shell.run("echo started; sleep 30", Duration.ofMillis(300));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.exitCode()).isEqualTo(ExecResult.TIMEOUT_EXIT);
    assertThat(r.stdout()).isEqualTo("started\n");
    assertThat(r.stderr()).contains("timed out");
  }
}
