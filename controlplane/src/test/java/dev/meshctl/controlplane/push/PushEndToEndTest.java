package dev.meshctl.controlplane.push;

import static dev.meshctl.controlplane.push.DeltaDiscoveryServerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.Backoff;
import dev.meshctl.core.config.ConfigClient;
import dev.meshctl.core.config.ConfigState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The push server and the proxies' config client together, over in-process gRPC. */
class PushEndToEndTest {

  private static final List<String> TYPES = List.of(TypeUrls.WORKLOAD, TypeUrls.SERVICE, TypeUrls.AUTHORIZATION);
  private static final Node NODE = Node.newBuilder().setId("node-agent~node-1").setNodeName("node-1").build();

  private final List<DeltaDiscoveryResponse> sent = new CopyOnWriteArrayList<>();
  private final List<String> nacks = new CopyOnWriteArrayList<>();
  private final String serverName = InProcessServerBuilder.generateName();
  private SnapshotCache cache;
  private DeltaDiscoveryServer push;
  private Server server;
  private ManagedChannel channel;
  private ConfigClient client;

  @BeforeEach
  void start() throws Exception {
    startServer(new SnapshotCache());
    channel = InProcessChannelBuilder.forName(serverName).build();
  }

  private void startServer(SnapshotCache c) throws Exception {
    cache = c;
    push = DeltaDiscoveryServer.builder(cache).callbacks(new DiscoveryCallbacks() {
      @Override public void onResponse(long id, DeltaDiscoveryResponse r) { sent.add(r); }
      @Override public void onNack(long id, String type, String nonce, String message) { nacks.add(message); }
    }).build();
    server = InProcessServerBuilder.forName(serverName).addService(push).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private ConfigClient.Builder clientBuilder() {
    return ConfigClient.builder(NODE, channel).typeUrls(TYPES)
        .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(100)));
  }

  private static final List<BiFunction<String, Integer, Message>> MAKERS =
      List.of(Fixtures::workload, Fixtures::service, Fixtures::authorization);

  @Test
  void afterAThousandRandomChangesTheClientHoldsTheSnapshot() throws Exception {
    Random random = new Random(42);
    Snapshot.Builder b = Snapshot.builder();
    TYPES.forEach(b::type);
    Snapshot snapshot = b.build();
    cache.set(NODE.getId(), snapshot);
    client = clientBuilder().build();
    client.start();
    assertThat(client.awaitSynced(Duration.ofSeconds(10))).isTrue();

    for (int change = 0; change < 1000; change++) {
      int t = random.nextInt(TYPES.size());
      String name = "r" + random.nextInt(300);
      Snapshot.Builder next = snapshot.toBuilder();
      if (random.nextInt(4) == 0) {
        next.remove(TYPES.get(t), name);
      } else {
        next.put(name, MAKERS.get(t).apply(name, random.nextInt(5)));
      }
      snapshot = next.build();
      cache.set(NODE.getId(), snapshot);
    }
    Snapshot expected = snapshot;
    waitFor(() -> contents(client.current()).equals(contents(expected)));
    assertThat(client.current().size()).isEqualTo(expected.size()).isGreaterThan(300);
    assertThat(client.current().resources(Workload.class))
        .hasSize(expected.resources(TypeUrls.WORKLOAD).size());
  }

  @Test
  void aChangeCostsTheSizeOfTheChange() throws Exception {
    Snapshot.Builder b = Snapshot.builder();
    TYPES.forEach(b::type);
    for (int i = 0; i < 300; i++) {
      b.add("w" + i, Fixtures.workload("w" + i, 0)).add("s" + i, Fixtures.service("s" + i, 0));
    }
    Snapshot snapshot = b.build();
    cache.set(NODE.getId(), snapshot);
    client = clientBuilder().build();
    client.start();
    assertThat(client.awaitSynced(Duration.ofSeconds(10))).isTrue();
    waitFor(() -> contents(client.current()).equals(contents(cache.get(NODE.getId()).orElseThrow())));

    for (int i = 0; i < 20; i++) {
      sent.clear();
      Snapshot next = i % 4 == 3
          ? snapshot.toBuilder().remove(TypeUrls.SERVICE, "s" + i).build()
          : snapshot.toBuilder().put("w" + i, Fixtures.workload("w" + i, 1)).build();
      snapshot = next;
      cache.set(NODE.getId(), next);
      // the response callback may run just after the client has applied the response
      waitFor(() -> contents(client.current()).equals(contents(next))
          && sent.stream().anyMatch(r -> r.getResourcesCount() + r.getRemovedResourcesCount() > 0));
      // An empty type's first answer may still arrive after the client reported itself synced: it carries nothing.
      var carrying = sent.stream().filter(r -> r.getResourcesCount() + r.getRemovedResourcesCount() > 0).toList();
      assertThat(carrying).hasSize(1);
      assertThat(carrying.get(0).getResourcesCount() + carrying.get(0).getRemovedResourcesCount()).isEqualTo(1);
    }
  }

  @Test
  void rejectedConfigIsNackedAndTheClientKeepsTheLastGoodOne() throws Exception {
    Snapshot good = Snapshot.builder().type(TypeUrls.SERVICE).type(TypeUrls.AUTHORIZATION)
        .add("w1", Fixtures.workload("w1", 1)).build();
    cache.set(NODE.getId(), good);
    client = clientBuilder().validator((type, candidate) -> {
      for (Workload w : candidate.resources(Workload.class).values()) {
        if (w.getAddressesList().isEmpty()) {
          throw new IllegalArgumentException("workload " + w.getName() + " has no address");
        }
      }
    }).build();
    client.start();
    assertThat(client.awaitSynced(Duration.ofSeconds(10))).isTrue();
    ConfigState before = client.current();

    cache.set(NODE.getId(), good.toBuilder().put("w2", Workload.newBuilder().setName("w2").build()).build());
    waitFor(() -> !nacks.isEmpty());
    assertThat(nacks).containsExactly("workload w2 has no address");
    assertThat(client.current()).isEqualTo(before);
    waitFor(() -> push.proxyStatuses().get(0).types().get(TypeUrls.WORKLOAD).lastNack().contains("w2"));
    assertThat(push.proxyStatuses().get(0).types().get(TypeUrls.WORKLOAD).ackedVersion()).isEqualTo(good.version());

    Snapshot fixed = good.toBuilder().put("w2", Fixtures.workload("w2", 1)).build();
    cache.set(NODE.getId(), fixed);
    waitFor(() -> contents(client.current()).equals(contents(fixed)));
    waitFor(() -> push.proxyStatuses().get(0).types().get(TypeUrls.WORKLOAD).ackedVersion().equals(fixed.version()));
    assertThat(nacks).hasSize(1);
  }

  @Test
  void clientKeepsItsStateWhileTheServerIsAwayAndResyncsWithANewOne() throws Exception {
    Snapshot.Builder b = Snapshot.builder();
    TYPES.forEach(b::type);
    for (int i = 0; i < 50; i++) {
      b.add("w" + i, Fixtures.workload("w" + i, 0));
    }
    Snapshot first = b.build();
    cache.set(NODE.getId(), first);
    client = clientBuilder().build();
    client.start();
    waitFor(() -> contents(client.current()).equals(contents(first)));

    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    assertThat(contents(client.current())).isEqualTo(contents(first));

    sent.clear();
    SnapshotCache fresh = new SnapshotCache();
    Snapshot second = first.toBuilder().put("w1", Fixtures.workload("w1", 9)).remove(TypeUrls.WORKLOAD, "w2").build();
    fresh.set(NODE.getId(), second);
    startServer(fresh);
    waitFor(() -> contents(client.current()).equals(contents(second)));
    // Resubscribed with what it held: only the difference crossed the wire.
    int resources = sent.stream().mapToInt(r -> r.getResourcesCount() + r.getRemovedResourcesCount()).sum();
    assertThat(resources).isEqualTo(2);
  }

  /** Reduces both sides to type -> name -> (version, packed bytes). */
  private static Map<String, Map<String, List<Object>>> contents(Snapshot s) {
    Map<String, Map<String, List<Object>>> out = new HashMap<>();
    for (String type : TYPES) {
      Map<String, List<Object>> m = new HashMap<>();
      for (Resource r : s.resources(type).values()) {
        m.put(r.getName(), List.of(r.getVersion(), r.getResource()));
      }
      out.put(type, m);
    }
    return out;
  }

  private static Map<String, Map<String, List<Object>>> contents(ConfigState state) {
    Map<String, Map<String, List<Object>>> out = new HashMap<>();
    for (String type : TYPES) {
      Map<String, List<Object>> m = new HashMap<>();
      state.entries(type).forEach((name, e) -> m.put(name, new ArrayList<>(List.of(e.version(), e.resource()))));
      out.put(type, m);
    }
    return out;
  }
}
