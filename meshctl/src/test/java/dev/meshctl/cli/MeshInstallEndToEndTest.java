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
  private final String lab = "in" + Integer.toString(new Random().nextInt(1 << 20), 36);
  private Path home;
  private CliRun cli;
  private Path repo;

  @BeforeAll
  void setUp() throws IOException {
    home = Files.createTempDirectory("meshctl-install");
    cli = new CliRun(home);
    repo = Path.of(System.getProperty("user.dir")).getParent();
    ok("lab", "up", "--nodes", "3");
    ok("apply", "-f", repo.resolve("samples/bookstore/bookstore.yaml").toString(),
        "-f", repo.resolve("samples/curl/curl.yaml").toString());
  }

  @AfterAll
  void tearDown() throws IOException {
    cli.run("--lab", lab, "lab", "down");
    Trees.delete(home);
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

  private String inNode(int node, String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", "mc-" + lab + "-node" + node));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(20, TimeUnit.SECONDS);
    return out;
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
    assertThat(cluster().ownedNamespaces()).contains("mc-" + lab + "-cp");
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
    ok("apply", "-f", repo.resolve("samples/httpbin/httpbin.yaml").toString());
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
    assertThat(cluster().ownedNamespaces()).doesNotContain("mc-" + lab + "-cp");
    for (int node = 1; node <= 3; node++) {
      assertThat(inNode(node, "iptables-save")).doesNotContain("MESHCTL");
      assertThat(inNode(node, "ip", "rule")).doesNotContain("lookup 133");
    }
    Cluster c = cluster();
    Process p = c.exec("default", c.resolvePod("default", "deploy/curl"),
        List.of("curl", "-sS", "--max-time", "10", "http://productpage:9080/productpage")).start();
    String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(body).contains("\"service\":\"productpage\"");
    assertThat(fails("check").err() + fails("check").out()).contains("meshctl install");
  }

  private CliRun.Result fails(String... args) {
    List<String> all = new ArrayList<>(List.of("--lab", lab));
    all.addAll(List.of(args));
    CliRun.Result r = cli.run(all.toArray(String[]::new));
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isNotZero();
    return r;
  }

  /** Deletes a directory tree (test helper). */
  static final class Trees {
    static void delete(Path dir) throws IOException {
      if (!Files.exists(dir)) {
        return;
      }
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
