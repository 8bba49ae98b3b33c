package dev.meshctl.workshops.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.workshops.check.ShellExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshctlWrapperTest {
  @Test
  void scriptRunsTheMainClassOnTheLab() {
    String script = MeshctlWrapper.script(Path.of("/jdk/bin/java"), "/x/meshctl.jar", "dev.meshctl.cli.Main", "it's");
    assertThat(script).startsWith("#!/bin/sh\n").contains("MESHCTL_LAB='it'\"'\"'s'\nexport MESHCTL_LAB")
        .contains("exec '/jdk/bin/java' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '/x/meshctl.jar' "
            + "dev.meshctl.cli.Main \"$@\"");
  }

  @Test
  void wrapperIsFoundOnPathAndRemovedOnClose(@TempDir Path dir) {
    // "java" here is `echo`, so the wrapper shows what it would run without starting a JVM.
    MeshctlWrapper wrapper = MeshctlWrapper.create(Path.of("/bin/echo"), "cp", "Main", "demo");
    ShellExecutor shell = new ShellExecutor(Map.of("PATH", wrapper.path("/usr/bin:/bin")), dir);
    var r = shell.run("meshctl get pods; echo $MESHCTL_LAB", Duration.ofSeconds(30));
    assertThat(r.stdout()).isEqualTo("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp cp Main get pods\n\n");
    wrapper.close();
    assertThat(Files.exists(wrapper.dir())).isFalse();
  }

  @Test
  void findsTheRepositoryFromBelow(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("samples/bookstore"));
    Files.writeString(dir.resolve("samples/bookstore/bookstore.yaml"), "");
    Files.createDirectories(dir.resolve("meshctl/target"));
    assertThat(SamplesLocator.repositoryRoot(java.util.List.of(Path.of("/nonexistent/x"),
        dir.resolve("meshctl/target/meshctl.jar")))).contains(dir);
    assertThat(SamplesLocator.repositoryRoot(java.util.List.of(Path.of("/nonexistent")))).isEmpty();
  }
}
