package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Proves install end to end on a 3-node lab with workloads already running: the control plane and agents start,
 * agents connect and receive config, a new Deployment reaches their config quickly, check passes, and uninstall
 * leaves the apps reachable and no mesh rule behind. Needs root.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshInstallEndToEndTest {
  private LabFixture lab;

  @BeforeAll
  void setUp() throws IOException {
    lab = new LabFixture("in");
    lab.ok("lab", "up", "--nodes", "3");
    lab.ok("apply", "-f", lab.sample("bookstore/bookstore.yaml").toString(),
        "-f", lab.sample("curl/curl.yaml").toString());
  }

  @AfterAll
  void tearDown() throws IOException {
    lab.close();
  }

  private CliRun.Result ok(String... args) {
    return lab.ok(args);
  }

  private String inNode(int node, String... command) throws Exception {
    return lab.inNode("node-" + node, command);
  }

  private String configDump(int node) throws Exception {
    return inNode(node, "curl", "-s", "--max-time", "3", "http://127.0.0.1:15000/config_dump");
  }

  @Test
  @Order(1)
  void installStartsEveryComponentAndIsIdempotent() {
    CliRun.Result r = ok("install", "--wait");
    assertThat(r.out()).contains("✔ control plane ready", "✔ node agent on node-1 ready",
        "✔ node agent on node-2 ready", "✔ node agent on node-3 ready").endsWith("installation complete\n");
    assertThat(lab.cluster().ownedNamespaces()).contains("mc-" + lab.lab + "-cp");
    CliRun.Result again = ok("install");
    assertThat(again.out()).contains("installation complete");
    assertThat(pids(again.out())).isEqualTo(pids(r.out()));
  }

  private static List<String> pids(String out) {
    return out.lines().filter(l -> l.contains("pid ")).map(l -> l.replaceAll(".*pid (\\d+).*", "$1")).toList();
  }

  @Test
  @Order(2)
  void checkPassesAndAgentsHoldTheMesh() throws Exception {
    CliRun.Result check = ok("check");
    assertThat(check.out()).contains("node agent on node-3 is connected and in sync")
        .contains("Status check results are √").doesNotContain("×");
    assertThat(ok("check", "-o", "json").out()).contains("\"success\" : true");
    for (int node = 1; node <= 3; node++) {
      assertThat(configDump(node)).contains("productpage-v1").contains("productpage.default.svc.cluster.local");
    }
  }

  @Test
  @Order(3)
  void aNewDeploymentReachesEveryAgentQuickly() throws Exception {
    ok("apply", "-f", lab.sample("httpbin/httpbin.yaml").toString());
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(5);
    boolean[] seen = new boolean[4];
    while (System.nanoTime() < deadline && !(seen[1] && seen[2] && seen[3])) {
      for (int node = 1; node <= 3; node++) {
        if (!seen[node] && configDump(node).contains("httpbin")) {
          seen[node] = true;
        }
      }
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("new Deployment visible in all 3 agents' config " + ms + " ms after apply returned");
    assertThat(seen[1] && seen[2] && seen[3]).as("httpbin in every agent's config_dump").isTrue();
    assertThat(ms).as("propagation to all agents (ms)").isLessThan(1000);
  }

  @Test
  @Order(4)
  void uninstallLeavesAppsReachableAndNoMeshRules() throws Exception {
    CliRun.Result r = ok("uninstall");
    assertThat(r.out()).contains("uninstall complete");
    assertThat(lab.cluster().ownedNamespaces()).doesNotContain("mc-" + lab.lab + "-cp");
    for (int node = 1; node <= 3; node++) {
      assertThat(inNode(node, "iptables-save")).doesNotContain("MESHCTL");
      assertThat(inNode(node, "ip", "rule")).doesNotContain("lookup 133");
    }
    LabFixture.Exec page = lab.inPod("default", "deploy/curl", "curl", "-sS", "--max-time", "10",
        "http://productpage:9080/productpage");
    assertThat(page.out()).contains("\"service\":\"productpage\"");
    CliRun.Result check = lab.fails("check");
    assertThat(check.err() + check.out()).contains("meshctl install");
  }
}
