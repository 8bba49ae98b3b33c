package dev.meshctl.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.nodeagent.capture.OwnerFile;
import dev.meshctl.nodeagent.capture.RuleOwner;
import dev.meshctl.nodeagent.identity.LocalCa;
import dev.meshctl.nodeagent.identity.WorkloadIdentities;
import dev.meshctl.nodeagent.proxy.ProxySettings;
import dev.meshctl.nodeagent.state.MeshState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's wiring in static mode, capture off, every endpoint on an ephemeral loopback port. */
class NodeAgentTest {

  static final String MESH = """
      workloads:
      - {uid: default/curl-1, name: curl-1, namespace: default, node: node-1, addresses: [10.244.1.5],
         serviceAccount: curl, tunnelProtocol: HBONE}
      - {uid: shop/server-1, name: server-1, namespace: shop, node: node-2, addresses: [10.244.2.7],
         serviceAccount: server, tunnelProtocol: HBONE}
      """;

  @TempDir
  Path dir;

  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  /** Records what the agent asks of the traffic path. */
  static final class FakeTraffic implements NodeAgent.TrafficPath {
    final ProxySettings settings;
    final WorkloadIdentities identities;
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile boolean hadCertificateAtStart;

    FakeTraffic(ProxySettings settings, WorkloadIdentities identities) {
      this.settings = settings;
      this.identities = identities;
    }

    @Override
    public void start() {
      hadCertificateAtStart = identities.identity("spiffe://cluster.local/ns/default/sa/curl").isPresent();
      events.add("start");
    }

    @Override
    public void update(MeshState state) {
      events.add("update " + state.workloads().size());
    }

    @Override
    public Object connections() {
      return List.of();
    }

    @Override
    public void close() {
      events.add("close");
    }

    @Override
    public void handOff(Duration drain) {
      events.add("hand-off " + drain.toSeconds() + "s");
    }
  }

  NodeAgentOptions staticOptions(Path mesh, Path caDir) {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    return new NodeAgentOptions("node-1", "127.0.0.1", Optional.empty(), Optional.of(mesh), Optional.empty(),
        Optional.empty(), Optional.of(caDir), "cluster.local", 0, 0, 0, loopback, loopback, loopback, false);
  }

  NodeAgentOptions withLifecycle(NodeAgentOptions o, NodeAgentOptions.Lifecycle lifecycle) {
    return new NodeAgentOptions(o.nodeName(), o.nodeIp(), o.controlPlane(), o.staticConfig(), o.tokenFile(),
        o.rootCert(), o.caDir(), o.trustDomain(), o.outboundPort(), o.inboundPlaintextPort(), o.hbonePort(), o.admin(),
        o.metrics(), o.readiness(), o.capture(), lifecycle);
  }

  FakeTraffic[] startedWithRuntimeDir(Path run, boolean takeOver, NodeAgent[] agent) throws Exception {
    Path mesh = dir.resolve("mesh.yaml");
    Files.writeString(mesh, MESH);
    LocalCa.selfSigned("cluster.local", Duration.ofHours(24), Clock.systemUTC()).writeTo(dir.resolve("ca"));
    FakeTraffic[] traffic = new FakeTraffic[1];
    agent[0] = NodeAgent.start(withLifecycle(staticOptions(mesh, dir.resolve("ca")), new NodeAgentOptions.Lifecycle(
        takeOver, Optional.of(run), Duration.ofSeconds(12), Optional.empty())), (settings, identities, registry) -> {
          traffic[0] = new FakeTraffic(settings, identities);
          return traffic[0];
        });
    return traffic;
  }

  @Test
  void recordsItselfAsTheRulesOwnerOnceReadyAndRemovesTheRulesOnAPlainStop() throws Exception {
    Path run = dir.resolve("run");
    NodeAgent[] agent = new NodeAgent[1];
    FakeTraffic[] traffic = startedWithRuntimeDir(run, false, agent);
    try {
      await(() -> agent[0].readiness().ready(), "the agent is ready");
      await(() -> new OwnerFile(run).read().isPresent(), "the agent recorded itself");
      assertThat(new OwnerFile(run).read()).contains(RuleOwner.self());
      assertThat(traffic[0].settings.drainTimeout()).as("a plain stop drains briefly")
          .isEqualTo(Duration.ofSeconds(5));
    } finally {
      agent[0].close();
    }
    assertThat(traffic[0].events).endsWith("close").doesNotContain("hand-off 12s");
    assertThat(new OwnerFile(run).read()).isEmpty();
  }

  @Test
  void handsOffAndKeepsTheRulesWhenALiveSuccessorOwnsThem() throws Exception {
    Path run = dir.resolve("run");
    NodeAgent[] agent = new NodeAgent[1];
    FakeTraffic[] traffic = startedWithRuntimeDir(run, false, agent);
    Process successor = new ProcessBuilder("sleep", "60").start();
    try {
      await(() -> new OwnerFile(run).read().isPresent(), "the agent recorded itself");
      RuleOwner next = RuleOwner.of(successor.toHandle()).orElseThrow();
      new OwnerFile(run).write(next);
      agent[0].close();
      assertThat(traffic[0].events).endsWith("hand-off 12s").doesNotContain("close");
      assertThat(new OwnerFile(run).read()).as("the successor's record stays").contains(next);
    } finally {
      successor.destroyForcibly();
      agent[0].close();
    }
  }

  @Test
  void successorWaitsForTheRunningAgentsEndpointsAndAsksItToHandOff() throws Exception {
    Path run = dir.resolve("run");
    Process predecessor = new ProcessBuilder("sleep", "60").start();
    RuleOwner old = RuleOwner.of(predecessor.toHandle()).orElseThrow();
    new OwnerFile(run).write(old);
    NodeAgent[] agent = new NodeAgent[1];
    try {
      FakeTraffic[] traffic = startedWithRuntimeDir(run, true, agent);
      await(() -> traffic[0] != null && traffic[0].events.contains("start"), "the successor started its traffic path");
      await(() -> !predecessor.isAlive(), "the predecessor was told to stop (SIGTERM)");
      assertThat(new OwnerFile(run).read()).contains(RuleOwner.self());
      await(() -> {
        try {
          return get(agent[0].readinessAddress(), "/healthz/ready").statusCode() == 200;
        } catch (Exception e) {
          return false;
        }
      }, "the successor serves readiness once the endpoints are free");
    } finally {
      predecessor.destroyForcibly();
      if (agent[0] != null) {
        agent[0].close();
      }
    }
  }

  HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void staticModeBecomesReadyAndStartsTrafficOnlyWithCertificates() throws Exception {
    Path mesh = dir.resolve("mesh.yaml");
    Files.writeString(mesh, MESH);
    LocalCa.selfSigned("cluster.local", Duration.ofHours(24), Clock.systemUTC()).writeTo(dir.resolve("ca"));
    FakeTraffic[] traffic = new FakeTraffic[1];

    try (NodeAgent agent = NodeAgent.start(staticOptions(mesh, dir.resolve("ca")), (settings, identities, registry) -> {
      traffic[0] = new FakeTraffic(settings, identities);
      return traffic[0];
    })) {
      assertThat(traffic[0].settings.capture()).isFalse();
      assertThat(traffic[0].settings.nodeName()).isEqualTo("node-1");
      await(() -> agent.readiness().ready(), "the agent is ready");

      assertThat(get(agent.readinessAddress(), "/healthz/ready").statusCode()).isEqualTo(200);
      assertThat(traffic[0].events).startsWith("update 2", "start", "update 2");
      assertThat(traffic[0].hadCertificateAtStart).isTrue();

      JsonNode certs = json.readTree(get(agent.adminAddress(), "/certs").body());
      assertThat(certs.at("/certificates")).hasSize(1);
      assertThat(certs.at("/certificates/0/identity").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/curl");
      assertThat(certs.at("/certificates/0/state").asText()).isEqualTo("VALID");
      JsonNode dump = json.readTree(get(agent.adminAddress(), "/config_dump").body());
      assertThat(dump.at("/source/synced").asBoolean()).isTrue();
      assertThat(dump.at("/resources/workloads")).hasSize(2);

      HttpResponse<String> metrics = get(agent.metricsAddress(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("text/plain").contains("version=0.0.4"));
    }
    assertThat(traffic[0].events).endsWith("close");
  }

  @Test
  void theProductionTrafficPathStartsOnceReadyAndStopsOnClose() throws Exception {
    Path mesh = dir.resolve("mesh.yaml");
    Files.writeString(mesh, MESH);
    LocalCa.selfSigned("cluster.local", Duration.ofHours(24), Clock.systemUTC()).writeTo(dir.resolve("ca"));
    try (NodeAgent agent = NodeAgent.start(staticOptions(mesh, dir.resolve("ca")))) {
      await(() -> agent.readiness().ready(), "the agent is ready with the real proxy");
      HttpResponse<String> connections = get(agent.adminAddress(), "/connections");
      assertThat(connections.statusCode()).isEqualTo(200);
      assertThat(json.readTree(connections.body()).at("/connections").isArray()).isTrue();
    }
  }

  @Test
  void aChangedStaticFileReachesTheTrafficPathAndNewIdentities() throws Exception {
    Path mesh = dir.resolve("mesh.yaml");
    Files.writeString(mesh, MESH);
    LocalCa.selfSigned("cluster.local", Duration.ofHours(24), Clock.systemUTC()).writeTo(dir.resolve("ca"));
    FakeTraffic[] traffic = new FakeTraffic[1];
    try (NodeAgent agent = NodeAgent.start(staticOptions(mesh, dir.resolve("ca")), (settings, identities, registry) -> {
      traffic[0] = new FakeTraffic(settings, identities);
      return traffic[0];
    })) {
      await(() -> agent.readiness().ready(), "the agent is ready");
      Files.writeString(mesh, MESH.replace("node: node-2", "node: node-1"));
      await(() -> traffic[0].events.contains("update 2") && agent.identities().certificates().size() == 2,
          "the second workload is local and has an identity");
      await(() -> agent.identities().pending().isEmpty(), "its certificate is issued");
      assertThat(agent.identities().identity("spiffe://cluster.local/ns/shop/sa/server")).isPresent();
    }
  }

  @Test
  void withoutAControlPlaneTheAgentStaysNotReadyAndNeverStartsTraffic() throws Exception {
    Path root = dir.resolve("root.pem");
    Path token = dir.resolve("token");
    Files.writeString(root, Pem.encodeCertificate(
        LocalCa.selfSigned("cluster.local", Duration.ofHours(1), Clock.systemUTC()).root()));
    Files.writeString(token, "t0ken");
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    // Port 1 on loopback refuses connections at once: the control plane is away.
    NodeAgentOptions options = new NodeAgentOptions("node-1", "127.0.0.1", Optional.of("127.0.0.1:1"),
        Optional.empty(), Optional.of(token), Optional.of(root), Optional.empty(), "cluster.local", 0, 0, 0,
        loopback, loopback, loopback, false);
    FakeTraffic[] traffic = new FakeTraffic[1];
    try (NodeAgent agent = NodeAgent.start(options, (settings, identities, registry) -> {
      traffic[0] = new FakeTraffic(settings, identities);
      return traffic[0];
    })) {
      HttpResponse<String> ready = get(agent.readinessAddress(), "/healthz/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("no config applied yet from 127.0.0.1:1");
      assertThat(traffic[0].events).isEmpty();
    }
  }
}
