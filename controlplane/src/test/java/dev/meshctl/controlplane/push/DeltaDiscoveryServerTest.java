package dev.meshctl.controlplane.push;

import static dev.meshctl.controlplane.push.Fixtures.service;
import static dev.meshctl.controlplane.push.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeltaDiscoveryServerTest {

  private static final String W = TypeUrls.WORKLOAD;
  private static final String S = TypeUrls.SERVICE;
  private static final Node NODE = RawStream.node("node-agent~node-1");

  private final SnapshotCache cache = new SnapshotCache();
  private DeltaDiscoveryServer push;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    push = DeltaDiscoveryServer.builder(cache)
        .authenticator((headers, node) -> {
          if (node.getId().startsWith("evil")) {
            throw Status.PERMISSION_DENIED.withDescription("node " + node.getId() + " is not allowed").asException();
          }
        })
        .build();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(push).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static Snapshot workloads(int count, int generation) {
    Snapshot.Builder b = Snapshot.builder().type(S);
    for (int i = 0; i < count; i++) {
      b.add("w" + i, workload("w" + i, generation));
    }
    return b.build();
  }

  @Test
  void wildcardSubscriptionGetsEverythingThenOnlyChanges() throws Exception {
    Snapshot s1 = workloads(50, 1);
    cache.set(NODE.getId(), s1);
    RawStream stream = RawStream.open(channel);
    stream.subscribe(NODE, W);
    DeltaDiscoveryResponse first = stream.next();
    assertThat(first.getResourcesCount()).isEqualTo(50);
    assertThat(first.getSystemVersionInfo()).isEqualTo(s1.version());
    stream.ack(first);

    cache.set(NODE.getId(), s1.toBuilder().put("w7", workload("w7", 2)).build());
    DeltaDiscoveryResponse update = stream.next();
    assertThat(update.getResourcesList()).extracting(Resource::getName).containsExactly("w7");
    assertThat(update.getRemovedResourcesList()).isEmpty();
    stream.ack(update);

    cache.set(NODE.getId(), s1.toBuilder().put("w7", workload("w7", 2)).remove(W, "w3").build());
    DeltaDiscoveryResponse removal = stream.next();
    assertThat(removal.getResourcesList()).isEmpty();
    assertThat(removal.getRemovedResourcesList()).containsExactly("w3");
    stream.cancel();
  }

  @Test
  void emptyTypeStillGetsAFirstResponse() throws Exception {
    cache.set(NODE.getId(), workloads(3, 1));
    RawStream stream = RawStream.open(channel);
    stream.subscribe(NODE, S);
    DeltaDiscoveryResponse r = stream.next();
    assertThat(r.getTypeUrl()).isEqualTo(S);
    assertThat(r.getResourcesCount()).isZero();
    stream.cancel();
  }

  @Test
  void oneResponseInFlightAndNewerSnapshotsCoalesce() throws Exception {
    cache.set(NODE.getId(), workloads(10, 1));
    RawStream stream = RawStream.open(channel);
    stream.subscribe(NODE, W);
    DeltaDiscoveryResponse first = stream.next();

    Snapshot latest = null;
    for (int g = 2; g <= 5; g++) {
      latest = workloads(10, 1).toBuilder().put("w1", workload("w1", g)).put("w2", workload("w2", g)).build();
      cache.set(NODE.getId(), latest);
    }
    assertThat(stream.barrier()).as("nothing for the unacked type").isEmpty();
    assertThat(push.proxyStatuses().get(0).types().get(W).pendingNonce()).isEqualTo(first.getNonce());

    stream.ack(first);
    DeltaDiscoveryResponse next = stream.next();
    assertThat(next.getResourcesList()).extracting(Resource::getName).containsExactlyInAnyOrder("w1", "w2");
    assertThat(next.getResourcesList()).extracting(Resource::getVersion)
        .containsExactlyInAnyOrder(latest.resource(W, "w1").orElseThrow().getVersion(),
            latest.resource(W, "w2").orElseThrow().getVersion());
    assertThat(next.getSystemVersionInfo()).isEqualTo(latest.version());
    stream.cancel();
  }

  @Test
  void nackKeepsAckedVersionsAndIsNotResentUntilTheSnapshotChanges() throws Exception {
    Snapshot good = workloads(5, 1);
    cache.set(NODE.getId(), good);
    RawStream stream = RawStream.open(channel);
    stream.subscribe(NODE, W);
    stream.ack(stream.next());

    Snapshot bad = good.toBuilder().put("w0", workload("w0", 666)).build();
    cache.set(NODE.getId(), bad);
    DeltaDiscoveryResponse rejected = stream.next();
    stream.nack(rejected, "w0: generation 666 is cursed");
    cache.set(NODE.getId(), bad); // same content again: must not loop
    assertThat(stream.barrier()).isEmpty();

    ProxyStatus.TypeStatus status = push.proxyStatuses().get(0).types().get(W);
    assertThat(status.ackedVersion()).isEqualTo(good.version());
    assertThat(status.lastNack()).isEqualTo("w0: generation 666 is cursed");
    assertThat(status.pendingNonce()).isEmpty();

    Snapshot fixed = good.toBuilder().put("w0", workload("w0", 3)).build();
    cache.set(NODE.getId(), fixed);
    DeltaDiscoveryResponse accepted = stream.next();
    assertThat(accepted.getResourcesList()).extracting(Resource::getName).containsExactly("w0");
    stream.ack(accepted);
    waitFor(() -> push.proxyStatuses().get(0).types().get(W).ackedVersion().equals(fixed.version()));
    stream.cancel();
  }

  @Test
  void reconnectWithInitialVersionsGetsOnlyTheDifference() throws Exception {
    Snapshot s1 = workloads(40, 1);
    cache.set(NODE.getId(), s1);
    RawStream first = RawStream.open(channel);
    first.subscribe(NODE, W);
    DeltaDiscoveryResponse all = first.next();
    first.ack(all);
    Map<String, String> held = new HashMap<>();
    all.getResourcesList().forEach(r -> held.put(r.getName(), r.getVersion()));
    first.close();

    cache.set(NODE.getId(), s1.toBuilder().put("w1", workload("w1", 2)).put("w2", workload("w2", 2))
        .remove(W, "w3").add("w99", workload("w99", 1)).build());
    RawStream second = RawStream.open(channel);
    second.subscribe(NODE, W, held);
    DeltaDiscoveryResponse diff = second.next();
    assertThat(diff.getResourcesList()).extracting(Resource::getName).containsExactlyInAnyOrder("w1", "w2", "w99");
    assertThat(diff.getRemovedResourcesList()).containsExactly("w3");
    second.cancel();
  }

  @Test
  void reconnectWithNothingChangedGetsAnEmptyFirstResponse() throws Exception {
    Snapshot s1 = workloads(5, 1);
    cache.set(NODE.getId(), s1);
    Map<String, String> held = new HashMap<>();
    s1.resources(W).forEach((n, r) -> held.put(n, r.getVersion()));
    RawStream stream = RawStream.open(channel);
    stream.subscribe(NODE, W, held);
    DeltaDiscoveryResponse r = stream.next();
    assertThat(r.getResourcesCount()).isZero();
    assertThat(r.getRemovedResourcesCount()).isZero();
    stream.cancel();
  }

  @Test
  void noSnapshotMeansNoResponseUntilOneIsSet() throws Exception {
    RawStream stream = RawStream.open(channel);
    stream.subscribe(NODE, W);
    waitFor(() -> push.proxyStatuses().size() == 1);
    assertThat(stream.responses).isEmpty();
    cache.set(NODE.getId(), workloads(2, 1));
    assertThat(stream.next().getResourcesCount()).isEqualTo(2);
    stream.cancel();
  }

  @Test
  void aProxyThatStopsReadingDoesNotDelayOthers() throws Exception {
    Node slowNode = RawStream.node("slow");
    cache.set(slowNode.getId(), workloads(200, 0));
    cache.set(NODE.getId(), workloads(20, 0));
    RawStream slow = RawStream.openNeverReading(channel);
    slow.subscribe(slowNode, W);
    RawStream normal = RawStream.open(channel);
    normal.subscribe(NODE, W);
    normal.ack(normal.next());
    waitFor(() -> push.proxyStatuses().size() == 2);

    for (int g = 1; g <= 100; g++) {
      cache.set(slowNode.getId(), workloads(200, g));
      cache.set(NODE.getId(), workloads(20, 0).toBuilder().put("w0", workload("w0", g)).build());
      DeltaDiscoveryResponse r = normal.next();
      assertThat(r.getResourcesList()).extracting(Resource::getName).containsExactly("w0");
      assertThat(r.getResources(0).getVersion())
          .isEqualTo(Snapshot.contentVersion(workload("w0", g)));
      normal.ack(r);
    }
    assertThat(slow.responses).isEmpty();
    slow.cancel();
    normal.cancel();
  }

  @Test
  void proxyStatusDescribesConnectedProxies() throws Exception {
    Snapshot s = workloads(3, 1);
    cache.set(NODE.getId(), s);
    RawStream stream = RawStream.open(channel);
    stream.subscribe(NODE, W);
    stream.ack(stream.next());
    waitFor(() -> push.proxyStatuses().size() == 1
        && push.proxyStatuses().get(0).types().get(W).ackedVersion().equals(s.version()));
    ProxyStatus status = push.proxyStatuses().get(0);
    assertThat(status.nodeId()).isEqualTo(NODE.getId());
    assertThat(status.nodeName()).isEqualTo("node-1");
    assertThat(status.proxyKey()).isEqualTo(NODE.getId());
    assertThat(status.types().get(W).resources()).isEqualTo(3);
    assertThat(status.connectedSince()).isNotNull();

    stream.cancel();
    waitFor(() -> push.proxyStatuses().isEmpty());
  }

  @Test
  void firstRequestWithoutNodeIsRefused() throws Exception {
    RawStream stream = RawStream.open(channel);
    stream.subscribe(null, W);
    waitFor(() -> stream.error != null);
    assertThat(Status.fromThrowable(stream.error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(stream.error).hasMessageContaining("node.id");
  }

  @Test
  void authenticatorCanRefuseANode() throws Exception {
    RawStream stream = RawStream.open(channel);
    stream.subscribe(RawStream.node("evil-node"), W);
    waitFor(() -> stream.error != null);
    assertThat(Status.fromThrowable(stream.error).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(push.proxyStatuses()).isEmpty();
  }

  @Test
  void authenticatorSeesCallHeaders() throws Exception {
    SnapshotCache c = new SnapshotCache();
    DeltaDiscoveryServer secured = DeltaDiscoveryServer.builder(c)
        .authenticator((headers, node) -> {
          if (!"Bearer good".equals(headers.get(Authenticator.AUTHORIZATION))) {
            throw Status.UNAUTHENTICATED.withDescription("missing or wrong bootstrap token").asException();
          }
        }).build();
    String name = InProcessServerBuilder.generateName();
    Server s = InProcessServerBuilder.forName(name).addService(secured).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
    try {
      c.set(NODE.getId(), workloads(1, 1));
      RawStream denied = RawStream.open(ch);
      denied.subscribe(NODE, W);
      waitFor(() -> denied.error != null);
      assertThat(Status.fromThrowable(denied.error).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

      Metadata headers = new Metadata();
      headers.put(Authenticator.AUTHORIZATION, "Bearer good");
      RawStream allowed = RawStream.open(io.grpc.ClientInterceptors.intercept(ch,
          MetadataUtils.newAttachHeadersInterceptor(headers)));
      allowed.subscribe(NODE, W);
      assertThat(allowed.next().getResourcesCount()).isEqualTo(1);
      allowed.cancel();
    } finally {
      ch.shutdownNow();
      s.shutdownNow();
    }
  }

  @Test
  void callbacksSeeTheStreamLifecycle() throws Exception {
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    SnapshotCache c = new SnapshotCache();
    DeltaDiscoveryServer observed = DeltaDiscoveryServer.builder(c).callbacks(new DiscoveryCallbacks() {
      @Override public void onStreamOpen(long id, Node node) { events.add("open " + node.getId()); }
      @Override public void onAck(long id, String type, String nonce) { events.add("ack " + nonce); }
      @Override public void onNack(long id, String type, String nonce, String m) { events.add("nack " + m); }
      @Override public void onStreamClose(long id, Node node, Throwable e) { events.add("close"); }
    }).build();
    String name = InProcessServerBuilder.generateName();
    Server s = InProcessServerBuilder.forName(name).addService(observed).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
    try {
      c.set(NODE.getId(), workloads(1, 1));
      RawStream stream = RawStream.open(ch);
      stream.subscribe(NODE, W);
      DeltaDiscoveryResponse r = stream.next();
      stream.ack(r);
      c.set(NODE.getId(), workloads(1, 2));
      stream.nack(stream.next(), "no");
      stream.close();
      waitFor(() -> events.contains("close"));
      assertThat(events).containsExactly("open " + NODE.getId(), "ack " + r.getNonce(), "nack no", "close");
    } finally {
      ch.shutdownNow();
      s.shutdownNow();
    }
  }

  @Test
  void requestWithoutTypeUrlIsRefused() throws Exception {
    cache.set(NODE.getId(), workloads(1, 1));
    RawStream stream = RawStream.open(channel);
    stream.send(dev.meshctl.api.discovery.DeltaDiscoveryRequest.newBuilder().setNode(NODE).build());
    waitFor(() -> stream.error != null);
    assertThat(stream.error).isInstanceOf(StatusRuntimeException.class).hasMessageContaining("type_url");
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
      Thread.sleep(1); // bounded poll interval, not a wait for an event
    }
  }
}
