package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshctl.lab.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Proves the node agents on a 3-node lab: transparency (the app sees the client pod's IP), mTLS on the wire (a capture
 * on the cluster bridge shows 15008 and never the app's plaintext), identity in metrics, L4 policy by principal,
 * namespace and port, STRICT mTLS, live enrol/unenrol without restarts, and a killed agent that resumes. Needs root.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshTrafficEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private LabFixture lab;
  private Path resources;

  @BeforeAll
  void setUp() throws Exception {
    lab = new LabFixture("mt");
    resources = Path.of(getClass().getResource("/mesh/clients.yaml").toURI()).getParent();
    ok("lab", "up", "--nodes", "3");
    ok("apply", "-f", lab.sample("bookstore/bookstore.yaml").toString(),
        "-f", lab.sample("curl/curl.yaml").toString(), "-f", resources.resolve("clients.yaml").toString());
    ok("install", "--wait");
  }

  @AfterAll
  void tearDown() throws IOException {
    lab.close();
  }

  private CliRun.Result ok(String... args) {
    return lab.ok(args);
  }

  private Cluster cluster() {
    return lab.cluster();
  }

  /** Captures what curl printed and how it exited. */
  record Curl(int exit, String body) {}

  private Curl curl(String namespace, String from, String url) throws Exception {
    LabFixture.Exec e = lab.inPod(namespace, from, "curl", "-sS", "--max-time", "5", url);
    return new Curl(e.exit(), e.out());
  }

  /** Repeats a curl until {@code done} holds (policy and config changes propagate asynchronously). */
  private Curl eventually(String namespace, String from, String url, Predicate<Curl> done) throws Exception {
    return LabFixture.eventually(() -> curl(namespace, from, url), done);
  }

  private String capture(String traffic) throws Exception {
    Cluster c = cluster();
    Path out = Files.createTempFile(lab.home, "capture", ".txt");
    Process dump = c.capture(null, List.of("-nn", "-A", "-l", "-c", "400", "tcp"))
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Thread.sleep(700);
    curl("default", "deploy/curl", traffic);
    Thread.sleep(500);
    dump.destroy();
    dump.waitFor(5, TimeUnit.SECONDS);
    return Files.readString(out, StandardCharsets.ISO_8859_1);
  }

  private long pid(String app) throws IOException {
    for (JsonNode p : JSON.readTree(ok("get", "pods", "-o", "json").out()).get("items")) {
      if (app.equals(p.at("/metadata/labels/app").asText())) {
        return p.at("/metadata/annotations").get("lab.meshctl.dev/pid").asLong();
      }
    }
    throw new AssertionError("no pod " + app);
  }

  private String podField(String app, String pointer) throws IOException {
    for (JsonNode p : JSON.readTree(ok("get", "pods", "-o", "json").out()).get("items")) {
      if (app.equals(p.at("/metadata/labels/app").asText())) {
        return p.at(pointer).asText();
      }
    }
    throw new AssertionError("no pod " + app);
  }

  private String inNode(String node, String... command) throws Exception {
    return lab.inNode(node, command);
  }

  private static final String PAGE = "http://productpage:9080/productpage";

  @Test
  @Order(1)
  void unenrolledTrafficIsPlaintextAndWorks() throws Exception {
    assertThat(curl("default", "deploy/curl", PAGE).body()).contains("\"service\":\"productpage\"");
    String wire = capture(PAGE);
    assertThat(wire).contains("GET /productpage").doesNotContain(".15008:");
  }

  @Test
  @Order(2)
  void enrollingNeedsNoRestartAndCarriesTrafficInMutualTls() throws Exception {
    long before = pid("productpage");
    ok("label", "namespace", "default", "istio.io/dataplane-mode=ambient");
    Curl page = eventually("default", "deploy/curl", PAGE, c -> c.exit() == 0 && c.body().contains("productpage"));
    assertThat(page.exit()).as(page.body()).isZero();
    JsonNode json = JSON.readTree(page.body());
    assertThat(json.get("client").asText()).startsWith(podField("curl", "/status/podIP") + ":");
    assertThat(json.at("/details/service").asText()).isEqualTo("details");
    assertThat(pid("productpage")).isEqualTo(before);

    String wire = capture(PAGE);
    assertThat(wire).contains(".15008").doesNotContain("GET /productpage").doesNotContain("\"service\"");
  }

  @Test
  @Order(3)
  void metricsReportMutualTlsWithBothPrincipals() throws Exception {
    curl("default", "deploy/curl", PAGE);
    String node = podField("productpage", "/spec/nodeName");
    String metrics = inNode(node, "curl", "-s", "http://127.0.0.1:15020/metrics");
    assertThat(metrics.lines().filter(l -> l.startsWith("istio_tcp_connections_opened_total{")
        && l.contains("connection_security_policy=\"mutual_tls\"")
        && l.contains("source_principal=\"spiffe://cluster.local/ns/default/sa/curl\"")
        && l.contains("destination_principal=\"spiffe://cluster.local/ns/default/sa/bookinfo-productpage\"")))
        .isNotEmpty();
    assertThat(metrics).contains("istio_tcp_sent_bytes_total{", "istio_tcp_received_bytes_total{",
        "istio_tcp_connections_closed_total{");
  }

  @Test
  @Order(4)
  void allowByPrincipalResetsOthers() throws Exception {
    ok("apply", "-f", resources.resolve("allow-curl.yaml").toString());
    Curl denied = eventually("default", "deploy/notcurl", PAGE, c -> c.exit() == 56);
    assertThat(denied.exit()).as(denied.body()).isEqualTo(56);
    assertThat(curl("default", "deploy/curl", PAGE).exit()).isZero();
  }

  @Test
  @Order(5)
  void denyByNamespace() throws Exception {
    String details = "http://details.default:9080/details/0";
    assertThat(eventually("other", "deploy/client", details, c -> c.exit() == 0).exit()).isZero();
    ok("apply", "-f", resources.resolve("deny-other.yaml").toString());
    assertThat(eventually("other", "deploy/client", details, c -> c.exit() == 56).exit()).isEqualTo(56);
    assertThat(curl("default", "deploy/curl", "http://details:9080/details/0").exit()).isZero();
  }

  @Test
  @Order(6)
  void portRules() throws Exception {
    ok("apply", "-f", resources.resolve("ratings-port.yaml").toString());
    assertThat(eventually("default", "deploy/curl", "http://ratings:9080/ratings/0", c -> c.exit() == 56).exit())
        .isEqualTo(56);
  }

  @Test
  @Order(7)
  void strictRefusesPlaintextFromAnUnenrolledClient() throws Exception {
    String reviews = "http://reviews:9080/reviews/0";
    assertThat(eventually("default", "deploy/plain", reviews, c -> c.exit() == 0).exit()).isZero();
    ok("apply", "-f", resources.resolve("strict.yaml").toString());
    assertThat(eventually("default", "deploy/plain", reviews, c -> c.exit() == 56).exit()).isEqualTo(56);
    assertThat(curl("default", "deploy/curl", reviews).exit()).isZero();
    ok("delete", "-f", resources.resolve("strict.yaml").toString());
  }

  @Test
  @Order(8)
  void aKilledAgentIsReportedAndResumesAfterInstall() throws Exception {
    String node = podField("productpage", "/spec/nodeName");
    String pids = inNode(node, "ss", "-ltnpH", "sport = :15008");
    long agentPid = Long.parseLong(pids.replaceAll("(?s).*pid=(\\d+).*", "$1"));
    ProcessHandle.of(agentPid).ifPresent(ProcessHandle::destroyForcibly);
    ProcessHandle.of(agentPid).ifPresent(h -> h.onExit().join());
    CliRun.Result check = lab.run("check");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).contains("× node agent on " + node + " is running");
    assertThat(ok("install").out()).contains("✔ node agent on " + node + " ready");
    Curl page = eventually("default", "deploy/curl", PAGE, c -> c.exit() == 0);
    assertThat(page.exit()).as(page.body()).isZero();
  }

  @Test
  @Order(9)
  void unenrollingReturnsToPlaintextWithoutRestarts() throws Exception {
    long before = pid("productpage");
    ok("delete", "-f", resources.resolve("allow-curl.yaml").toString());
    ok("label", "namespace", "default", "istio.io/dataplane-mode-");
    Curl page = eventually("default", "deploy/curl", PAGE, c -> c.exit() == 0);
    assertThat(page.exit()).isZero();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String wire = "";
    while (System.nanoTime() < deadline) {
      wire = capture(PAGE);
      if (wire.contains("GET /productpage")) {
        break;
      }
    }
    assertThat(wire).contains("GET /productpage");
    assertThat(pid("productpage")).isEqualTo(before);
  }

  @Test
  @Order(10)
  void uninstallAfterACrashLeavesNoRules() throws Exception {
    String pids = inNode("node-1", "ss", "-ltnpH", "sport = :15008");
    long agentPid = Long.parseLong(pids.replaceAll("(?s).*pid=(\\d+).*", "$1"));
    ProcessHandle.of(agentPid).ifPresent(ProcessHandle::destroyForcibly);
    ProcessHandle.of(agentPid).ifPresent(h -> h.onExit().join());
    assertThat(inNode("node-1", "iptables-save")).contains("MESHCTL");
    ok("uninstall");
    for (String node : List.of("node-1", "node-2", "node-3")) {
      assertThat(inNode(node, "iptables-save")).doesNotContain("MESHCTL");
      assertThat(inNode(node, "ip", "rule")).doesNotContain("lookup 133");
    }
    assertThat(curl("default", "deploy/curl", PAGE).exit()).isZero();
  }
}
