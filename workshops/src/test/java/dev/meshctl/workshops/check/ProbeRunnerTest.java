package dev.meshctl.workshops.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.workshops.model.Probe;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbeRunnerTest {
  private static final String PODS = """
      {"kind": "List", "items": [
        {"metadata": {"name": "reviews-v1", "annotations": {"lab.meshctl.dev/pid": "42"}}, "status": {"phase": "Running"}},
        {"metadata": {"name": "curl", "annotations": {"lab.meshctl.dev/pid": "7"}}, "status": {"phase": "Running"}}
      ]}""";

  @Test
  void commandProbeExposesStdoutAndExitCode() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(3, "out\n", "boom"));
    ProbeResult r = new ProbeRunner(fake).run(new Probe.Command("meshctl check", null));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output()).isEqualTo("out\n");
    assertThat(r.detail()).isEqualTo("$ meshctl check\nboom");
    assertThat(fake.scripts).containsExactly("meshctl check");
  }

  @Test
  void httpProbeRunsCurlInThePodAndSplitsStatusFromBody() {
    FakeExecutor fake = FakeExecutor.sequence(
        ExecResult.of(0, "{\"service\":\"productpage\"}" + ProbeCommands.STATUS_MARK + "200", ""));
    Probe.Http probe = new Probe.Http("deploy/curl", null, "http://productpage:9080/productpage", null, null);
    ProbeResult r = new ProbeRunner(fake).run(probe);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.output()).isEqualTo("{\"service\":\"productpage\"}");
    assertThat(fake.scripts.get(0)).isEqualTo("meshctl exec -n default deploy/curl -- curl -s -S -m 5 -o - -w "
        + "'\\n__meshctl_status__:%{http_code}' http://productpage:9080/productpage");
  }

  @Test
  void httpProbeWithoutResponseHasStatusZeroAndCurlsExitCode() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(56, ProbeCommands.STATUS_MARK + "000",
        "curl: (56) Recv failure: Connection reset by peer"));
    ProbeResult r = new ProbeRunner(fake).run(new Probe.Http("deploy/notcurl", "other", "http://x", "DELETE",
        List.of("x-user: it's me")));
    assertThat(r.exitCode()).isEqualTo(56);
    assertThat(r.status()).isZero();
    assertThat(fake.scripts.get(0)).contains("-n other deploy/notcurl").contains("-X DELETE")
        .contains("-H 'x-user: it'\"'\"'s me'");
  }

  @Test
  void jsonProbeSelectsAPointerOrOneSortedLinePerElement() {
    assertThat(ProbeRunner.select(PODS, new Probe.Json("x", "/items/0/status/phase", null))).isEqualTo("Running");
    assertThat(ProbeRunner.select(PODS, new Probe.Json("x", "/items", List.of("/metadata/name",
        "/metadata/annotations/lab.meshctl.dev~1pid", "/status/containerStatuses/0/restartCount"))))
        .isEqualTo("curl 7 -\nreviews-v1 42 -");
    assertThat(ProbeRunner.select(PODS, new Probe.Json("x", "/nope", null))).isEqualTo(ProbeRunner.MISSING);
    assertThat(ProbeRunner.select("error: lab is not up", new Probe.Json("x", "/items", null)))
        .isEqualTo("error: lab is not up");
  }

  @Test
  void repeatCollectsAJsonFieldPerRun() {
    AtomicInteger n = new AtomicInteger();
    FakeExecutor fake = new FakeExecutor(s -> ExecResult.of(0, "{\"reviews\": {\"version\": \"v"
        + (n.incrementAndGet() % 4 == 0 ? 2 : 1) + "\"}}", ""));
    Probe.Repeat probe = new Probe.Repeat(8, new Probe.Command("curl", null), "/reviews/version", null);
    ProbeResult r = new ProbeRunner(fake).run(probe);
    assertThat(r.samples()).hasSize(8);
    assertThat(Bands.distribution(r.samples())).containsEntry("v1", 6).containsEntry("v2", 2);
    assertThat(fake.scripts).hasSize(8);
  }

  @Test
  void repeatWithRegexUsesTheFirstGroupAndMarksMisses() {
    FakeExecutor fake = FakeExecutor.sequence(ExecResult.of(0, "stars: red", ""), ExecResult.of(7, "", "refused"));
    ProbeResult r = new ProbeRunner(fake).run(new Probe.Repeat(3, new Probe.Command("c", null), null,
        "stars: (\\w+)"));
    assertThat(r.samples()).containsExactly("red", ProbeRunner.MISSING, ProbeRunner.MISSING);
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.detail()).contains("refused");
  }

  @Test
  void captureRunsTrafficInTheBackgroundWhileCapturing() {
    String script = ProbeCommands.capture(new Probe.Capture(null, 50, 6, "tcp port 15008", "meshctl exec x"));
    assertThat(script).startsWith("( while :; do meshctl exec x >/dev/null 2>&1; sleep 0.2; done ) & traffic=$!")
        .contains("meshctl lab capture --seconds 6 --count 50 --filter 'tcp port 15008'")
        .contains("kill $traffic").endsWith("exit $rc");
    assertThat(ProbeCommands.capture(new Probe.Capture("node2", null, null, null, null)))
        .isEqualTo("meshctl lab capture --seconds 5 --node node2");
  }

  @Test
  void quoteLeavesPlainWordsAlone() {
    assertThat(ProbeCommands.quote("deploy/curl")).isEqualTo("deploy/curl");
    assertThat(ProbeCommands.quote("a b")).isEqualTo("'a b'");
    assertThat(ProbeCommands.quote("")).isEqualTo("''");
  }
}
