package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabHome;
import dev.meshctl.lab.LabProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Proves a waypoint on a 2-node lab: {@code meshctl waypoint apply --enroll-namespace --wait} brings up a waypoint
 * pod that obtains its certificate and config, services route through it, and it enforces an L7 policy, splits
 * traffic by weight, routes by header, times out slow requests, retries past a failing pod, injects delay and
 * abort faults, and reaches destinations with its own identity; a per-service-account waypoint takes its service
 * account's traffic. Needs root.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WaypointEndToEndTest {
  private static final String WAYPOINT_ID = "spiffe://cluster.local/ns/default/sa/waypoint";
  private static final String PAGE = "http://productpage:9080/productpage";
  private static final String NOTCURL = """
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: notcurl
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: notcurl
      spec:
        replicas: 1
        selector:
          matchLabels: {app: notcurl}
        template:
          metadata:
            labels: {app: notcurl}
          spec:
            serviceAccountName: notcurl
            containers:
            - name: notcurl
              image: meshctl/curl:0.1.0
      """;
  private static final String POLICY = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: productpage-get
      spec:
        targetRefs:
        - {kind: Service, group: "", name: productpage}
        action: ALLOW
        rules:
        - from:
          - source: {principals: ["cluster.local/ns/default/sa/curl"]}
          to:
          - operation: {methods: ["GET"]}
      """;
  private static final String ROUTES = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: reviews
      spec:
        parentRefs:
        - {group: "", kind: Service, name: reviews, port: 9080}
        rules:
        - matches:
          - headers:
            - {name: end-user, value: jason}
          backendRefs:
          - {name: reviews-v2, port: 9080}
        - backendRefs:
          - {name: reviews-v1, port: 9080, weight: 80}
          - {name: reviews-v2, port: 9080, weight: 20}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: httpbin
      spec:
        parentRefs:
        - {group: "", kind: Service, name: httpbin, port: 8000}
        rules:
        - timeouts: {request: 500ms}
          backendRefs:
          - {name: httpbin, port: 8000}
      """;

  /** A second httpbin pod whose app listens on 8081: the Service's 8080 is refused, so half of httpbin fails. */
  private static final String BROKEN_HTTPBIN = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: httpbin-broken
        labels: {app: httpbin, version: v2}
      spec:
        replicas: 1
        selector:
          matchLabels: {app: httpbin, version: v2}
        template:
          metadata:
            labels: {app: httpbin, version: v2}
          spec:
            serviceAccountName: httpbin
            containers:
            - name: httpbin
              image: meshctl/sample-app:0.1.0
              env:
              - {name: ROLE, value: echo}
              - {name: PORT, value: "8081"}
              - {name: SERVICE, value: httpbin}
              - {name: VERSION, value: v2}
      """;
  private static final String RETRIES = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: httpbin
        annotations:
          meshctl.dev/retry-attempts: "3"
          meshctl.dev/retry-codes: "503"
      spec:
        parentRefs:
        - {group: "", kind: Service, name: httpbin, port: 8000}
        rules:
        - backendRefs:
          - {name: httpbin, port: 8000}
      """;
  private static final String FAULTS = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: details
        annotations:
          meshctl.dev/fault-delay: 1s
          meshctl.dev/fault-delay-percent: "100"
          meshctl.dev/fault-abort-status: "418"
          meshctl.dev/fault-abort-percent: "100"
      spec:
        parentRefs:
        - {group: "", kind: Service, name: details, port: 9080}
        rules:
        - backendRefs:
          - {name: details, port: 9080}
      """;

  private final String lab = "wp" + Integer.toString(new Random().nextInt(1 << 20), 36);
  private Path home;
  private CliRun cli;

  @BeforeAll
  void setUp() throws Exception {
    home = Files.createTempDirectory("meshctl-waypoint");
    cli = new CliRun(home);
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    Path notcurl = Files.writeString(home.resolve("notcurl.yaml"), NOTCURL);
    ok("lab", "up", "--nodes", "2");
    ok("apply", "-f", repo.resolve("samples/bookstore/bookstore.yaml").toString(),
        "-f", repo.resolve("samples/bookstore/bookstore-versions.yaml").toString(),
        "-f", repo.resolve("samples/httpbin/httpbin.yaml").toString(),
        "-f", repo.resolve("samples/curl/curl.yaml").toString(), "-f", notcurl.toString());
    ok("install", "--wait");
    ok("label", "namespace", "default", "istio.io/dataplane-mode=ambient");
  }

  @AfterAll
  void tearDown() throws IOException {
    cli.run("--lab", lab, "lab", "down");
    LabFixture.deleteTree(home);
  }

  private CliRun.Result ok(String... args) {
    List<String> all = new ArrayList<>(List.of("--lab", lab));
    all.addAll(List.of(args));
    CliRun.Result r = cli.run(all.toArray(String[]::new));
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  private Cluster cluster() {
    return new LabProviders(new LabHome(home)).open(lab);
  }

  /** Runs curl in a pod of namespace default; returns what it printed (stderr included) and how it exited. */
  private Curl curl(String from, String... args) throws Exception {
    Cluster c = cluster();
    List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5"));
    argv.addAll(List.of(args));
    Process p = c.exec("default", c.resolvePod("default", from), argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Curl(p.exitValue(), out);
  }

  /** Captures what curl printed and how it exited. */
  record Curl(int exit, String body) {}

  /** Repeats a curl until {@code done} holds (config reaches proxies asynchronously). */
  private Curl eventually(String from, Predicate<Curl> done, String... args) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Curl last;
    do {
      last = curl(from, args);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return last;
  }

  private Path write(String name, String yaml) throws IOException {
    return Files.writeString(home.resolve(name), yaml);
  }

  private String waypointNetns(String name) {
    return cluster().list(io.fabric8.kubernetes.api.model.Pod.class, "default").stream()
        .filter(p -> name.equals(p.getMetadata().getLabels().get("gateway.networking.k8s.io/gateway-name")))
        .findFirst().orElseThrow(() -> new AssertionError("no waypoint pod"))
        .getMetadata().getAnnotations().get("lab.meshctl.dev/netns");
  }

  private static String podMetrics(String netns) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", netns, "curl", "-s", "http://127.0.0.1:15020/metrics")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  @Order(1)
  void applyRunsAReadyWaypointAndBindsTheNamespace() {
    assertThat(ok("waypoint", "generate").out()).contains("gatewayClassName: istio-waypoint", "protocol: HBONE",
        "istio.io/waypoint-for: service");
    ok("waypoint", "apply", "--enroll-namespace", "--wait", "--timeout", "90");
    assertThat(ok("waypoint", "list").out()).containsPattern("waypoint\\s+default\\s+True");
    assertThat(ok("waypoint", "status").out()).containsPattern("default/productpage\\s+True");
  }

  @Test
  @Order(2)
  void l7PolicyAllowsGetFromCurlOnly() throws Exception {
    ok("apply", "-f", write("policy.yaml", POLICY).toString());
    Curl deleted = eventually("deploy/curl", c -> c.body().contains("RBAC: access denied"),
        "-X", "DELETE", "-w", "\n%{http_code}", PAGE);
    assertThat(deleted.body()).as(deleted.toString()).contains("RBAC: access denied").endsWith("403");
    Curl get = curl("deploy/curl", "-w", "\n%{http_code}", PAGE);
    assertThat(get.body()).as(get.toString()).contains("\"service\":\"productpage\"").endsWith("200");
    Curl other = curl("deploy/notcurl", "-w", "\n%{http_code}", PAGE);
    assertThat(other.body()).as(other.toString()).endsWith("403");
  }

  @Test
  @Order(3)
  void routesSplitByWeightAndByHeader() throws Exception {
    ok("apply", "-f", write("routes.yaml", ROUTES).toString());
    String reviews = "http://reviews:9080/reviews/0";
    Curl jason = eventually("deploy/curl", c -> count(c.body(), "v2") == 1, "-H", "end-user: jason", reviews);
    assertThat(count(jason.body(), "v2")).as(jason.toString()).isEqualTo(1);

    List<String> split = new ArrayList<>(List.of("--max-time", "60", "-w", "\n"));
    List<String> header = new ArrayList<>(List.of("--max-time", "60", "-w", "\n", "-H", "end-user: jason"));
    for (int i = 0; i < 200; i++) {
      split.add(reviews);
      if (i < 20) {
        header.add(reviews);
      }
    }
    String answers = curl("deploy/curl", split.toArray(String[]::new)).body();
    long v1 = count(answers, "v1");
    long v2 = count(answers, "v2");
    assertThat(v1 + v2).as(answers).isEqualTo(200);
    assertThat(v2).isBetween(20L, 65L);
    assertThat(count(answers, "v3")).isZero();
    String jasons = curl("deploy/curl", header.toArray(String[]::new)).body();
    assertThat(count(jasons, "v2")).as(jasons).isEqualTo(20);
  }

  @Test
  @Order(4)
  void aSlowBackendTimesOutWith504() throws Exception {
    Curl slow = eventually("deploy/curl", c -> c.body().endsWith("504"),
        "-o", "/dev/null", "-w", "%{http_code}", "http://httpbin:8000/delay/2000");
    assertThat(slow.body()).as(slow.toString()).isEqualTo("504");
    Curl fast = curl("deploy/curl", "-o", "/dev/null", "-w", "%{http_code}", "http://httpbin:8000/delay/10");
    assertThat(fast.body()).isEqualTo("200");
  }

  @Test
  @Order(5)
  void requestsCrossTheWaypointWithItsIdentity() throws Exception {
    assertThat(curl("deploy/curl", "-o", "/dev/null", "-w", "%{http_code}", PAGE).body()).isEqualTo("200");
    // The destination's node agent accepted the tunnel only because the waypoint presented the certificate of its
    // own workload (spiffe://.../sa/waypoint); the waypoint reports the request it carried.
    String metrics = podMetrics(waypointNetns("waypoint"));
    assertThat(metrics.lines().filter(l -> l.startsWith("istio_requests_total{")
        && l.contains("reporter=\"waypoint\"")
        && l.contains("source_principal=\"spiffe://cluster.local/ns/default/sa/curl\"")
        && l.contains("destination_workload=\"productpage-v1\"")))
        .as(metrics).isNotEmpty();
    assertThat(ok("logs", "deploy/waypoint").out()).contains("as " + WAYPOINT_ID);
  }

  @Test
  @Order(6)
  void retriesHideABackendFailingHalfItsRequests() throws Exception {
    ok("apply", "-f", write("broken.yaml", BROKEN_HTTPBIN).toString());
    // Few requests per probe: five failures in a row would eject the broken pod and hide it without retries.
    String[] probe = {"-o", "/dev/null", "-w", "%{http_code}\n", "http://httpbin:8000/get", "-o", "/dev/null",
        "http://httpbin:8000/get"};
    Curl failing = eventually("deploy/curl", c -> codes(c.body()).contains("503"), probe);
    assertThat(codes(failing.body())).as(failing.toString()).contains("503");
    ok("apply", "-f", write("retries.yaml", RETRIES).toString());
    List<String> many = new ArrayList<>(List.of("--max-time", "60", "-w", "%{http_code}\n"));
    for (int i = 0; i < 20; i++) {
      many.addAll(List.of("-o", "/dev/null", "http://httpbin:8000/get"));
    }
    Curl retried = eventually("deploy/curl",
        c -> codes(c.body()).size() == 20 && codes(c.body()).stream().allMatch("200"::equals),
        many.toArray(String[]::new));
    assertThat(codes(retried.body())).as(retried.toString()).hasSize(20).containsOnly("200");
  }

  @Test
  @Order(7)
  void delayAndAbortFaultsAreInjected() throws Exception {
    ok("apply", "-f", write("faults.yaml", FAULTS).toString());
    Curl faulted = eventually("deploy/curl", c -> c.body().startsWith("418"),
        "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "http://details:9080/details/0");
    assertThat(faulted.body()).as(faulted.toString()).startsWith("418 ");
    assertThat(Double.parseDouble(faulted.body().substring(4).trim())).as("seconds, after a 1 s delay")
        .isGreaterThanOrEqualTo(0.9);
    Curl other = curl("deploy/curl", "-o", "/dev/null", "-w", "%{http_code}", PAGE);
    assertThat(other.body()).as("other services are not faulted").isEqualTo("200");
  }

  @Test
  @Order(8)
  void deleteRemovesTheWaypointAndTrafficGoesDirect() throws Exception {
    ok("waypoint", "delete");
    assertThat(ok("waypoint", "list").out()).contains("No waypoints found");
    assertThat(ok("waypoint", "status").out()).contains("waypoint default/waypoint does not exist");
    Curl direct = eventually("deploy/curl", c -> c.body().endsWith("200"),
        "-o", "/dev/null", "-w", "%{http_code}", PAGE);
    assertThat(direct.body()).as(direct.toString()).isEqualTo("200");
    CliRun.Result again = cli.run("--lab", lab, "waypoint", "delete");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("waypoint default/waypoint not found");
  }

  @Test
  @Order(9)
  void aPerServiceAccountWaypointTakesThatServiceAccountsTraffic() throws Exception {
    ok("waypoint", "apply", "--service-account", "bookinfo-reviews", "--wait", "--timeout", "90");
    assertThat(ok("waypoint", "list").out()).containsPattern("waypoint-bookinfo-reviews\\s+default\\s+True");
    assertThat(ok("waypoint", "status", "--name", "waypoint-bookinfo-reviews").out())
        .containsPattern("default/reviews\\s+True");
    String netns = waypointNetns("waypoint-bookinfo-reviews");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean carried;
    do {
      curl("deploy/curl", "-o", "/dev/null", "http://reviews:9080/reviews/0");
      carried = podMetrics(netns).lines().anyMatch(l -> l.startsWith("istio_requests_total{")
          && l.contains("reporter=\"waypoint\"") && l.contains("destination_service_name=\"reviews\""));
      if (!carried) {
        Thread.sleep(250);
      }
    } while (!carried && System.nanoTime() < deadline);
    assertThat(carried).as("the per-service-account waypoint carried a request to reviews").isTrue();
    ok("waypoint", "delete", "waypoint-bookinfo-reviews");
  }

  /** Returns the status codes curl wrote, one a line ({@code -w "%{http_code}\\n"}). */
  private static List<String> codes(String out) {
    return out.lines().map(String::trim).filter(l -> l.matches("\\d{3}")).toList();
  }

  /** Counts answers of reviews {@code version} (a reviews answer also carries the ratings' version, later). */
  private static long count(String text, String version) {
    return text.lines().filter(l -> l.startsWith("{\"service\":\"reviews\",\"version\":\"" + version + "\""))
        .count();
  }
}
