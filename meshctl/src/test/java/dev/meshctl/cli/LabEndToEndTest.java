package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshctl.lab.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Proves the netns lab end to end: a 3-node lab, the bookstore across nodes, DNS, services, scaling, refusals, a
 * crashed pod, and a `lab down` that leaves nothing behind. Needs root.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private LabFixture fixture;
  private String lab;
  private Path home;
  private Path repo;

  @BeforeAll
  void setUp() throws IOException {
    fixture = new LabFixture("e2e");
    lab = fixture.lab;
    home = fixture.home;
    repo = fixture.repo;
  }

  @AfterAll
  void tearDown() throws IOException {
    fixture.close();
  }

  private CliRun.Result ok(String... args) {
    return fixture.ok(args);
  }

  private CliRun.Result fails(String... args) {
    return fixture.fails(args);
  }

  private Cluster cluster() {
    return fixture.cluster();
  }

  /** Runs a command in a pod and returns its stdout; asserts it exits 0. */
  private String exec(String target, String... command) throws Exception {
    LabFixture.Exec e = fixture.inPod("default", target, command);
    assertThat(e.exit()).as(String.join(" ", command) + " -> " + e.out()).isZero();
    return e.out();
  }

  private JsonNode pods() throws IOException {
    return JSON.readTree(ok("get", "pods", "-o", "json").out()).get("items");
  }

  private JsonNode podOf(String app) throws IOException {
    for (JsonNode p : pods()) {
      if (app.equals(p.at("/metadata/labels/app").asText())) {
        return p;
      }
    }
    throw new AssertionError("no pod with app=" + app);
  }

  @Test
  @Order(1)
  void labComesUpWithThreeNodesAndIsIdempotent() {
    CliRun.Result up = ok("lab", "up", "--nodes", "3");
    assertThat(up.out()).contains("lab " + lab + " is up: 3 nodes");
    assertThat(cluster().ownedNamespaces()).contains("mc-" + lab + "-net", "mc-" + lab + "-node1",
        "mc-" + lab + "-node2", "mc-" + lab + "-node3");
    assertThat(ok("lab", "up", "--nodes", "3").out()).contains("3 nodes");
    assertThat(fails("lab", "up", "--nodes", "2").err()).contains("already up with 3 nodes");
    assertThat(ok("lab", "list").out()).contains(lab);
  }

  @Test
  @Order(2)
  void bookstoreAnswersAcrossNodesByDnsName() throws Exception {
    CliRun.Result applied = ok("apply", "-f", repo.resolve("samples/bookstore/bookstore.yaml").toString(),
        "-f", repo.resolve("samples/curl/curl.yaml").toString());
    assertThat(applied.out()).contains("deployment.apps/productpage-v1 created", "service/productpage created");

    JsonNode pods = pods();
    assertThat(pods).hasSize(7);
    for (JsonNode p : pods) {
      assertThat(p.at("/status/phase").asText()).isEqualTo("Running");
      assertThat(p.at("/status/podIP").asText()).startsWith("10.244.");
      assertThat(p.at("/spec/nodeName").asText()).startsWith("node-");
    }
    JsonNode curl = podOf("curl");
    String body = exec("deploy/curl", "curl", "-sS", "--max-time", "10", "http://productpage:9080/productpage");
    JsonNode page = JSON.readTree(body);
    assertThat(page.get("service").asText()).isEqualTo("productpage");
    assertThat(page.get("node").asText()).isNotEqualTo(curl.at("/spec/nodeName").asText());
    assertThat(page.get("client").asText()).startsWith(curl.at("/status/podIP").asText() + ":");
    assertThat(page.at("/details/service").asText()).isEqualTo("details");
    assertThat(page.at("/reviews/service").asText()).isEqualTo("reviews");

    for (String name : List.of("productpage.default", "productpage.default.svc.cluster.local")) {
      assertThat(exec("deploy/curl", "curl", "-sS", "--max-time", "10", "http://" + name + ":9080/"))
          .contains("\"service\"");
    }
  }

  @Test
  @Order(3)
  void scalingStartsAndStopsPods() throws Exception {
    Path scaled = home.resolve("ratings-3.yaml");
    String yaml = Files.readString(repo.resolve("samples/bookstore/bookstore.yaml"));
    String ratings = yaml.split("\n---\n")[0];
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.contains("kind: Deployment") && doc.contains("name: ratings-v1")) {
        ratings = doc;
      }
    }
    Files.writeString(scaled, ratings.replaceFirst("replicas: 1", "replicas: 3"));
    assertThat(ok("apply", "-f", scaled.toString()).out()).contains("deployment.apps/ratings-v1 configured");
    assertThat(count("ratings")).isEqualTo(3);
    assertThat(ok("get", "deployments").out()).containsPattern("ratings-v1\\s+3/3");

    Files.writeString(scaled, ratings);
    ok("apply", "-f", scaled.toString());
    assertThat(count("ratings")).isEqualTo(1);
  }

  private long count(String app) throws IOException {
    long n = 0;
    for (JsonNode p : pods()) {
      if (app.equals(p.at("/metadata/labels/app").asText())) {
        n++;
      }
    }
    return n;
  }

  @Test
  @Order(4)
  void invalidInputIsRefusedAndNothingIsApplied() throws Exception {
    Path bad = home.resolve("bad.yaml");
    Files.writeString(bad, """
        apiVersion: v1
        kind: Service
        metadata:
          name: should-not-exist
        spec:
          selector: {app: x}
          ports: [{port: 80}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: broken
        spec:
          replicas: "three"
          selector: {matchLabels: {app: x}}
          template:
            metadata: {labels: {app: x}}
            spec:
              containers: [{name: x, image: meshctl/sample-app:0.1.0}]
        """);
    CliRun.Result r = fails("apply", "-f", bad.toString());
    assertThat(r.err()).contains("bad.yaml").contains("Deployment default/broken").contains("spec.replicas");
    assertThat(fails("get", "services", "should-not-exist").err()).contains("not found");

    Files.writeString(bad, """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx
        spec:
          selector: {matchLabels: {app: nginx}}
          template:
            metadata: {labels: {app: nginx}}
            spec:
              containers: [{name: nginx, image: nginx:1.25}]
        """);
    assertThat(fails("apply", "-f", bad.toString()).err()).contains("unknown image \"nginx:1.25\"")
        .contains("spec.template.spec.containers[0].image");
    assertThat(count("nginx")).isZero();
  }

  @Test
  @Order(5)
  void labelsChangeWithoutRestartingPods() throws Exception {
    long pid = podOf("curl").at("/metadata/annotations").get("lab.meshctl.dev/pid").asLong();
    assertThat(ok("label", "namespace", "default", "istio.io/dataplane-mode=ambient").out())
        .contains("namespace/default labeled");
    assertThat(fails("label", "namespace", "default", "istio.io/dataplane-mode=none").err())
        .contains("--overwrite");
    assertThat(ok("get", "namespaces", "--show-labels").out()).contains("istio.io/dataplane-mode=ambient");
    ok("label", "namespace", "default", "istio.io/dataplane-mode-");
    assertThat(podOf("curl").at("/metadata/annotations").get("lab.meshctl.dev/pid").asLong()).isEqualTo(pid);
  }

  @Test
  @Order(6)
  void deleteStopsPodsAndRemovesTheService() throws Exception {
    assertThat(ok("delete", "-f", repo.resolve("samples/curl/curl.yaml").toString()).out())
        .contains("deployment.apps/curl deleted");
    assertThat(count("curl")).isZero();
    assertThat(fails("delete", "-f", repo.resolve("samples/curl/curl.yaml").toString()).err())
        .contains("not found");
  }

  @Test
  @Order(7)
  void crashedPodShowsInStatusAndDownStillCleansEverything() throws Exception {
    JsonNode details = podOf("details");
    long pid = details.at("/metadata/annotations").get("lab.meshctl.dev/pid").asLong();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
    CliRun.Result status = fails("lab", "status");
    assertThat(status.out()).contains("DEGRADED").containsPattern(details.at("/metadata/name").asText() + ".*Failed");

    List<Long> pids = new ArrayList<>();
    for (JsonNode p : pods()) {
      pids.add(p.at("/metadata/annotations").get("lab.meshctl.dev/pid").asLong());
    }
    ok("lab", "down");
    String netns = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);
    assertThat(netns).doesNotContain("mc-" + lab + "-");
    try (var etc = Files.list(Path.of("/etc/netns"))) {
      assertThat(etc.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("mc-" + lab + "-"));
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing left at all
    }
    for (long p : pids) {
      assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).as("pid " + p).isFalse();
    }
    assertThat(home.resolve("labs").resolve(lab)).doesNotExist();
    assertThat(fails("lab", "status").err()).contains("is not up");
  }
}
