package dev.meshctl.workshops.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.workshops.check.ExecResult;
import dev.meshctl.workshops.check.FakeExecutor;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {
  @TempDir
  Path root;
  private final AtomicReference<String> pids = new AtomicReference<>("curl 7 Running");
  private final AtomicReference<Integer> curlExit = new AtomicReference<>(0);

  private FakeExecutor executor() {
    return new FakeExecutor(s -> {
      if (s.equals("get-pids")) {
        return ExecResult.of(0, pids.get() + "\n", "");
      }
      if (s.startsWith("meshctl exec")) {
        return ExecResult.of(curlExit.get(), "__meshctl_status__:000", "");
      }
      return ExecResult.of(0, "", "");
    });
  }

  @Test
  void walksThroughTheStepsAndSurvivesARestart() {
    TestWorkspace t = new TestWorkspace(root, executor());
    Session session = new Session(t.workspace);
    session.start("demo");
    assertThat(t.executor.scripts).containsExactly("meshctl install --wait",
        "meshctl apply -f /repo/samples/curl/curl.yaml");
    assertThat(t.out.toString()).contains("Step 1/2: Deploy").contains("Deploy it.")
        .contains("$ meshctl apply -f " + root.resolve("files/01-demo") + "/policy.yaml")
        .contains("meshctl workshop verify");

    assertThatThrownBy(session::next).hasMessageContaining("has not passed yet: run `meshctl workshop verify`");
    assertThat(session.verify()).isTrue();
    assertThat(t.out.toString()).contains("✔ pods run").contains("Next: meshctl workshop next");
    assertThat(session.next()).isTrue();

    // A new session (a new meshctl process) resumes at step 2 with the saved value.
    TestWorkspace again = new TestWorkspace(root, executor());
    Session resumed = new Session(again.workspace);
    resumed.show();
    assertThat(again.out.toString()).contains("Step 2/2: Enroll & check");
    pids.set("curl 8 Running");
    assertThat(resumed.verify()).isFalse();
    assertThat(again.out.toString()).contains("✘ same pids").contains("expected the output to contain \"curl 7 Running\"")
        .contains("hint: Pods must not restart.").contains("✘ curl is denied").contains("2 of 2 checks failed");

    pids.set("curl 7 Running");
    curlExit.set(56);
    assertThat(resumed.verify()).isTrue();
    assertThat(resumed.next()).isFalse();
    assertThat(again.out.toString()).contains("is complete");

    resumed.status();
    assertThat(again.out.toString()).contains("* 01-demo").contains("step 2/2, 2 passed");
    resumed.reset(null);
    assertThat(new ProgressStore(root.resolve("labs/demo"), root.resolve("x"), () -> true).load()
        .of("01-demo")).isEqualTo(WorkshopProgress.START);
  }

  @Test
  void bringsTheLabUpWhenItIsDown() {
    TestWorkspace t = new TestWorkspace(root, executor());
    t.labUp.set(false);
    new Session(t.workspace).start("01-demo");
    assertThat(t.executor.scripts.get(0)).isEqualTo("meshctl lab up --nodes 2");
    assertThat(root.resolve("workshops/demo.json")).exists();
  }

  @Test
  void aFailedSetupCommandStopsStartAndNamesIt() {
    TestWorkspace t = new TestWorkspace(root, new FakeExecutor(s -> ExecResult.of(1, "", "no root")));
    assertThatThrownBy(() -> new Session(t.workspace).start("demo")).isInstanceOf(WorkshopRunException.class)
        .hasMessageContaining("`meshctl install --wait` exited 1").hasMessageContaining("no root");
  }

  @Test
  void commandsWithoutAStartedWorkshopSayWhatToDo() {
    TestWorkspace t = new TestWorkspace(root, executor());
    assertThatThrownBy(() -> new Session(t.workspace).verify())
        .hasMessageContaining("no workshop started on lab demo").hasMessageContaining("workshop start NAME");
    new Session(t.workspace).status();
    assertThat(t.out.toString()).contains("no workshop started");
  }
}
