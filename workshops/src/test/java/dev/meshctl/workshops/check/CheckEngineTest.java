package dev.meshctl.workshops.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.workshops.model.Check;
import dev.meshctl.workshops.model.Expect;
import dev.meshctl.workshops.model.Probe;
import dev.meshctl.workshops.model.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckEngineTest {
  private final List<Duration> pauses = new ArrayList<>();
  private final Sleeper recording = pauses::add;
  private final Templates templates = new Templates(Map.of("lab", "demo"));

  private static Check check(String run, Expect expect, Retry retry) {
    return new Check("agents answer", new Probe.Command(run, null), expect, retry, "look at the agent logs", null);
  }

  private static Expect exit(int code) {
    return new Expect(code, null, null, null, null, null, null, null);
  }

  @Test
  void passesAsSoonAsOneAttemptPasses() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(1, "", ""), ExecResult.of(1, "", ""),
        ExecResult.of(0, "", ""));
    CheckOutcome o = new CheckEngine(new ProbeRunner(fake), recording)
        .run(check("meshctl check", exit(0), new Retry(5, "2s")), templates);
    assertThat(o.passed()).isTrue();
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @Test
  void failsAfterTheLastAttemptWithoutAFinalPause() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(1, "not ready", ""));
    CheckOutcome o = new CheckEngine(new ProbeRunner(fake), recording)
        .run(check("meshctl check", exit(0), new Retry(3, "500ms")), templates);
    assertThat(o.passed()).isFalse();
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(o.failures()).containsExactly("expected exit code 0, got 1");
    assertThat(o.check().hint()).isEqualTo("look at the agent logs");
    assertThat(o.excerpt()).startsWith("not ready");
    assertThat(pauses).hasSize(2).allMatch(d -> d.equals(Duration.ofMillis(500)));
  }

  @Test
  void defaultRetryTriesOnce() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(1, "", ""));
    CheckOutcome o = new CheckEngine(new ProbeRunner(fake), recording).run(check("x", exit(0), null), templates);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void rendersTemplatesInProbeAndExpectation() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(0, "lab demo: pid 42", ""));
    Expect expect = new Expect(null, null, List.of("{{pid}}"), null, null, null, null, null);
    CheckOutcome o = new CheckEngine(new ProbeRunner(fake), recording)
        .run(check("meshctl --lab {{lab}} lab status", expect, null), templates.with("pid", "pid 42"));
    assertThat(o.passed()).isTrue();
    assertThat(fake.scripts).containsExactly("meshctl --lab demo lab status");
  }

  @Test
  void anUnknownVariableFailsTheCheckWithoutRunningIt() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(0, "", ""));
    CheckOutcome o = new CheckEngine(new ProbeRunner(fake), recording)
        .run(check("echo {{nope}}", exit(0), null), templates);
    assertThat(o.passed()).isFalse();
    assertThat(o.failures()).singleElement().asString().contains("unknown variable {{nope}}");
    assertThat(fake.scripts).isEmpty();
    assertThat(o.excerpt()).isEmpty();
  }

  @Test
  void excerptIsClipped() {
    String longOutput = "line\n".repeat(100);
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(1, longOutput, ""));
    CheckOutcome o = new CheckEngine(new ProbeRunner(fake), recording).run(check("x", exit(0), null), templates);
    assertThat(o.excerpt().lines().count()).isLessThan(20);
    assertThat(o.excerpt()).contains("…");
  }
}
