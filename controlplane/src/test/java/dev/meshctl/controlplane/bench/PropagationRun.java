package dev.meshctl.controlplane.bench;

import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.ProxyType;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.push.DeltaDiscoveryServer;
import dev.meshctl.controlplane.push.Snapshot;
import dev.meshctl.controlplane.push.SnapshotCache;
import dev.meshctl.controlplane.translate.ProxyKeys;
import dev.meshctl.controlplane.translate.Translator;
import dev.meshctl.core.config.ConfigClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark for one mesh size: a push server with {@code agents} node-agent clients, then warm-up and
 * measured changes, each timed from "applied" to the last ACK.
 *
 * <p>"Applied" is where {@code ControlPlane.translate()} starts: the objects are listed, indexed
 * ({@code MeshModel.update}), translated, and every snapshot is {@code cache.set}. Changes run one at a time.
 */
final class PropagationRun implements AutoCloseable {

  /** Which gRPC transport carries the streams. */
  enum Transport { IN_PROCESS, NETTY }

  private static final long ACK_TIMEOUT_SECONDS = 120;

  private final BenchMesh mesh;
  private final int agents;
  private final Transport transport;
  private final Random random = new Random(42);
  private final Translator translator = new Translator();
  private final SnapshotCache cache = new SnapshotCache();
  private final PushProbe probe = new PushProbe();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<ConfigClient> clients = new ArrayList<>();
  private Server server;
  private Map<String, Snapshot> published = Map.of();
  private MeshModel model;
  private long syncNanos;

  PropagationRun(int workloads, int agents, Transport transport) {
    if (agents < 1 || agents > BenchMesh.NODES) {
      throw new IllegalArgumentException("agents " + agents + ": use 1 to " + BenchMesh.NODES);
    }
    this.mesh = new BenchMesh(workloads);
    this.agents = agents;
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  BenchMesh mesh() {
    return mesh;
  }

  /** Returns how long the agents took from connecting to holding the first snapshot. */
  long syncNanos() {
    return syncNanos;
  }

  /** Publishes the first translation, starts the server and connects every agent; returns when all are synced. */
  void start() throws IOException, InterruptedException {
    apply(null);
    DeltaDiscoveryServer push = DeltaDiscoveryServer.builder(cache).proxyKeyFunction(ProxyKeys.function())
        .callbacks(probe).build();
    String name = InProcessServerBuilder.generateName();
    server = (transport == Transport.IN_PROCESS ? InProcessServerBuilder.forName(name)
        : Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()))
        .addService(push).build().start();
    long start = System.nanoTime();
    for (int i = 0; i < agents; i++) {
      String node = BenchMesh.node(i);
      Node id = Node.newBuilder().setId(ProxyKeys.nodeAgent(node)).setNodeName(node).setType(ProxyType.NODE_AGENT)
          .build();
      Channel channel = ClientInterceptors.intercept(channel(name), probe.clientTimer());
      ConfigClient client = ConfigClient.builder(id, channel).typeUrls(TypeUrls.NODE_AGENT_TYPES).build();
      clients.add(client);
      client.start();
    }
    for (ConfigClient client : clients) {
      if (!client.awaitSynced(Duration.ofSeconds(ACK_TIMEOUT_SECONDS))) {
        throw new IllegalStateException("an agent did not sync within " + ACK_TIMEOUT_SECONDS + " s: see the log");
      }
    }
    // Synced means one response of each type was accepted; the ACKs may still be on their way.
    probe.await(SnapshotDiff.expectedAcks(Map.of(), subscribed()), ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    syncNanos = System.nanoTime() - start;
  }

  private ManagedChannel channel(String inProcessName) {
    ManagedChannel channel = transport == Transport.IN_PROCESS
        ? InProcessChannelBuilder.forName(inProcessName).build()
        : Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
            .maxInboundMessageSize(256 << 20).build();
    channels.add(channel);
    return channel;
  }

  /** Applies {@code count} random changes of every kind in turn; returns their samples in order. */
  List<ChangeSample> run(int count) throws InterruptedException {
    List<ChangeSample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      for (ChangeSample.Kind kind : ChangeSample.Kind.values()) {
        samples.add(apply(kind));
      }
    }
    return samples;
  }

  /** Applies one change (none for the first translation), publishes it and waits for every ACK it needs. */
  private ChangeSample apply(ChangeSample.Kind kind) throws InterruptedException {
    if (kind != null) {
      switch (kind) {
        case POD_LABEL -> mesh.relabelPod(random);
        case POD_ADDED -> mesh.addPod(random);
        case POLICY -> mesh.changePolicy(random);
      }
    }
    probe.reset();
    long start = System.nanoTime();
    // As MeshTranslation does: the first model is built, each later one updated from the previous.
    List<HasMetadata> objects = mesh.objects();
    model = model == null ? MeshModel.of(objects, MeshConfig.defaults()) : MeshModel.update(model, objects);
    long indexed = System.nanoTime();
    Map<String, Snapshot> snapshots = translator.translate(model).snapshots();
    long translated = System.nanoTime();
    snapshots.forEach(cache::set);
    long set = System.nanoTime();
    Map<String, String> expected = SnapshotDiff.expectedAcks(subscribed(published), subscribed(snapshots));
    published = snapshots;
    if (kind == null) {
      return null;
    }
    if (expected.isEmpty()) {
      throw new IllegalStateException("BUG: change " + kind + " changed no snapshot");
    }
    long lastAck = probe.await(expected, ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    PushProbe.Traffic t = probe.traffic();
    int proxies = (int) expected.keySet().stream().map(k -> k.substring(0, k.indexOf('\n'))).distinct().count();
    return new ChangeSample(kind, indexed - start, translated - indexed, set - translated, t.lastResponseNanos() - start,
        lastAck - start, t.clientNanos(), t.bytes(), t.responses(), t.proxiesReached(), proxies);
  }

  private Map<String, Snapshot> subscribed() {
    return subscribed(published);
  }

  /** Keeps the snapshots of the connected agents (the benchmark may run fewer agents than nodes). */
  private Map<String, Snapshot> subscribed(Map<String, Snapshot> all) {
    Map<String, Snapshot> out = new java.util.HashMap<>();
    for (int i = 0; i < agents; i++) {
      String key = ProxyKeys.nodeAgent(BenchMesh.node(i));
      Snapshot s = all.get(key);
      if (s != null) {
        out.put(key, s);
      }
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    clients.forEach(ConfigClient::close);
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
