package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Telemetry that tells the truth on a 3-node lab: the destination side names the service, a plaintext client is
 * named but given no identity, access-log lines are found with {@code meshctl logs} and carry a UTC timestamp,
 * {@code meshctl metrics} answers selectors across node agents, both reporters carry Istio's standard labels, and
 * through a waypoint both node agents name the waypoint as the peer. Needs root.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TelemetryEndToEndTest {
  private static final String CURL = "spiffe://cluster.local/ns/default/sa/curl";
  private static final String WAYPOINT = "spiffe://cluster.local/ns/default/sa/waypoint";
  private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
  private LabFixture lab;

  @BeforeAll
  void setUp() throws Exception {
    lab = new LabFixture("tl");
    Path plain = lab.repo.resolve("workshops/src/main/resources/workshops/05-observability/plain-client.yaml");
    lab.ok("lab", "up", "--nodes", "3");
    lab.ok("apply", "-f", lab.sample("bookstore/bookstore.yaml").toString(),
        "-f", lab.sample("curl/curl.yaml").toString(), "-f", plain.toString());
    lab.ok("install", "--wait");
    lab.ok("label", "namespace", "default", "istio.io/dataplane-mode=ambient", "--overwrite");
  }

  @AfterAll
  void tearDown() throws IOException {
    lab.close();
  }

  private String sum(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "metrics";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--sum";
    return LabFixture.eventually(() -> {
      lab.inPod("default", "deploy/curl", "curl", "-s", "-o", "/dev/null", "-m", "5",
          "http://productpage:9080/productpage");
      lab.inPod("default", "deploy/plain", "curl", "-s", "-o", "/dev/null", "-m", "5",
          "http://details:9080/details/0");
      return lab.ok(all).out().strip();
    }, s -> !s.equals("0"));
  }

  @Test
  @Order(1)
  void destinationSideNamesTheService() throws Exception {
    assertThat(sum("istio_tcp_connections_opened", "-l", "reporter=destination", "-l", "source_principal=" + CURL,
        "-l", "destination_workload=productpage-v1", "-l", "connection_security_policy=mutual_tls",
        "-l", "destination_service=productpage.default.svc.cluster.local",
        "-l", "destination_service_name=productpage", "-l", "destination_service_namespace=default"))
        .matches("[1-9]\\d*");
    assertThat(lab.ok("metrics", "istio_tcp_connections_opened", "-l", "reporter=destination",
        "-l", "destination_workload=productpage-v1", "-l", "destination_service=unknown", "--sum").out().strip())
        .isEqualTo("0");
  }

  @Test
  @Order(2)
  void plaintextClientHasNoIdentity() throws Exception {
    assertThat(sum("istio_tcp_connections_opened", "-l", "reporter=destination", "-l", "source_workload=plain",
        "-l", "source_principal=unknown", "-l", "connection_security_policy=none",
        "-l", "destination_service=details.default.svc.cluster.local")).matches("[1-9]\\d*");
    assertThat(lab.ok("metrics", "istio_tcp_connections_opened", "-l", "source_workload=plain",
        "-l", "source_principal=~spiffe://.*", "--sum").out().strip()).isEqualTo("0");
    String log = LabFixture.eventually(() -> lab.ok("logs", "-n", "istio-system", "node-agent", "--access-log").out(),
        s -> s.contains("src.workload=plain"));
    assertThat(log.lines().filter(l -> l.contains("src.workload=plain")))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains("src.identity=unknown", "direction=inbound",
            "dst.service=details.default.svc.cluster.local").doesNotContain("sa/plain"));
  }

  @Test
  @Order(3)
  void componentLogsAreReadable() {
    String one = lab.ok("logs", "-n", "istio-system", "node-agent", "--node", "node-2", "--tail", "5").out();
    assertThat(one.lines().count()).isBetween(1L, 5L);
    assertThat(one).doesNotContain("[node-agent/");
    assertThat(lab.ok("logs", "-n", "istio-system", "node-agent", "--access-log").out().lines())
        .allSatisfy(l -> assertThat(l).startsWith("[node-agent/node-").contains(" access - src.addr="));
    assertThat(lab.ok("logs", "-n", "istio-system", "control-plane").out()).contains("issued certificate");
    assertThat(lab.fails("logs", "-n", "istio-system", "node-agent", "--node", "node-9").err())
        .contains("no node node-9");
  }

  @Test
  @Order(4)
  void logLinesStartWithAUtcTimestamp() {
    assertThat(lab.ok("logs", "-n", "istio-system", "node-agent", "--access-log").out().lines())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches("\\[node-agent/node-\\d+] " + TIMESTAMP + " .* access - src\\.addr=.*"));
  }

  @Test
  @Order(5)
  void nodeAgentsReportIstiosStandardLabels() throws Exception {
    assertThat(sum("istio_tcp_connections_opened", "-l", "reporter=destination", "-l", "source_principal=" + CURL,
        "-l", "source_app=curl", "-l", "source_canonical_service=curl", "-l", "source_canonical_revision=latest",
        "-l", "source_cluster=Kubernetes", "-l", "destination_app=productpage", "-l", "destination_version=v1",
        "-l", "destination_canonical_service=productpage", "-l", "destination_canonical_revision=v1",
        "-l", "destination_cluster=Kubernetes")).matches("[1-9]\\d*");
    assertThat(sum("istio_tcp_connections_opened", "-l", "reporter=source", "-l", "source_app=curl",
        "-l", "source_version=unknown", "-l", "destination_app=productpage")).matches("[1-9]\\d*");
  }

  @Test
  @Order(6)
  void throughAWaypointBothAgentsNameTheWaypoint() throws Exception {
    lab.ok("waypoint", "apply", "-n", "default", "--enroll-namespace", "--wait");
    assertThat(sum("istio_tcp_connections_opened", "-l", "reporter=destination", "-l", "source_principal=" + WAYPOINT,
        "-l", "source_workload=waypoint", "-l", "source_workload_namespace=default",
        "-l", "source_canonical_service=waypoint", "-l", "destination_workload=productpage-v1"))
        .matches("[1-9]\\d*");
    assertThat(lab.ok("metrics", "istio_tcp_connections_opened", "-l", "source_principal=" + WAYPOINT,
        "-l", "source_workload=unknown", "--sum").out().strip()).isEqualTo("0");
    assertThat(sum("istio_tcp_connections_opened", "-l", "reporter=source", "-l", "source_workload=curl",
        "-l", "destination_workload=waypoint", "-l", "destination_workload_namespace=default",
        "-l", "destination_principal=" + WAYPOINT, "-l", "destination_service=productpage.default.svc.cluster.local"))
        .matches("[1-9]\\d*");
    assertThat(sum("istio_requests_total", "-l", "reporter=waypoint", "-l", "source_workload=curl",
        "-l", "source_app=curl", "-l", "source_cluster=Kubernetes", "-l", "destination_workload=productpage-v1",
        "-l", "destination_app=productpage", "-l", "destination_version=v1",
        "-l", "destination_canonical_revision=v1")).matches("[1-9]\\d*");
    String log = LabFixture.eventually(() -> lab.ok("logs", "-n", "istio-system", "node-agent", "--access-log").out(),
        s -> s.contains("dst.workload=waypoint"));
    assertThat(log.lines().filter(l -> l.contains("src.workload=curl") && l.contains("dst.workload=waypoint")))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains("direction=outbound", "dst.namespace=default",
            "dst.identity=" + WAYPOINT));
  }
}
