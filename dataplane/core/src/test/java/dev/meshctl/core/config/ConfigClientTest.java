package dev.meshctl.core.config;

import static dev.meshctl.core.config.ConfigStateTest.resource;
import static dev.meshctl.core.config.ConfigStateTest.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.discovery.AggregatedDiscoveryServiceGrpc;
import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the client against a scripted control plane. */
class ConfigClientTest {

  private static final Node NODE = Node.newBuilder().setId("node-agent~n1").setNodeName("n1").build();
  private static final List<String> TYPES = List.of(TypeUrls.WORKLOAD, TypeUrls.SERVICE);

  /** One server-side stream: what the client sent, and a handle to answer it. */
  record Stream(BlockingQueue<DeltaDiscoveryRequest> requests, StreamObserver<DeltaDiscoveryResponse> out,
      AtomicReference<Throwable> error) {
    DeltaDiscoveryRequest next() throws InterruptedException {
      DeltaDiscoveryRequest r = requests.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("a request within 10 s").isNotNull();
      return r;
    }
  }

  private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
  private Server server;
  private ManagedChannel channel;
  private ConfigClient client;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    ServerServiceDefinition fake = ServerServiceDefinition.builder(AggregatedDiscoveryServiceGrpc.serviceDescriptor())
        .addMethod(AggregatedDiscoveryServiceGrpc.deltaResourcesMethod(), ServerCalls.asyncBidiStreamingCall(out -> {
          Stream stream = new Stream(new LinkedBlockingQueue<>(), out, new AtomicReference<>());
          streams.add(stream);
          return new StreamObserver<DeltaDiscoveryRequest>() {
            @Override public void onNext(DeltaDiscoveryRequest r) { stream.requests().add(r); }
            @Override public void onError(Throwable t) { stream.error().set(t); }
            @Override public void onCompleted() {}
          };
        })).build();
    server = InProcessServerBuilder.forName(name).addService(fake).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private ConfigClient.Builder builder() {
    return ConfigClient.builder(NODE, channel).typeUrls(TYPES)
        .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)));
  }

  private Stream nextStream() throws InterruptedException {
    Stream s = streams.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("a stream within 10 s").isNotNull();
    return s;
  }

  private static DeltaDiscoveryResponse response(String type, String nonce, List<dev.meshctl.api.discovery.Resource> resources,
      List<String> removed) {
    return DeltaDiscoveryResponse.newBuilder().setTypeUrl(type).setNonce(nonce).setSystemVersionInfo("v" + nonce)
        .addAllResources(resources).addAllRemovedResources(removed).build();
  }

  /** Opens a stream and answers the initial subscriptions: one workload, no services. */
  private Stream syncedStream() throws Exception {
    client.start();
    Stream s = nextStream();
    DeltaDiscoveryRequest first = s.next();
    DeltaDiscoveryRequest second = s.next();
    assertThat(first.getNode()).isEqualTo(NODE);
    assertThat(first.getTypeUrl()).isEqualTo(TypeUrls.WORKLOAD);
    assertThat(first.getResourceNamesSubscribeList()).containsExactly("*");
    assertThat(second.hasNode()).isFalse();
    assertThat(second.getTypeUrl()).isEqualTo(TypeUrls.SERVICE);
    s.out().onNext(response(TypeUrls.WORKLOAD, "1", List.of(resource("a", "1", workload("a"))), List.of()));
    assertThat(s.next().getResponseNonce()).isEqualTo("1");
    assertThat(client.synced()).isFalse();
    s.out().onNext(response(TypeUrls.SERVICE, "2", List.of(), List.of()));
    DeltaDiscoveryRequest ack = s.next();
    assertThat(ack.getResponseNonce()).isEqualTo("2");
    assertThat(ack.hasErrorDetail()).isFalse();
    assertThat(client.awaitSynced(Duration.ofSeconds(10))).isTrue();
    return s;
  }

  @Test
  void subscribesAcksAndPublishes() throws Exception {
    List<ConfigState> seen = new CopyOnWriteArrayList<>();
    client = builder().listener(seen::add).build();
    Stream s = syncedStream();
    assertThat(client.current().resources(Workload.class)).containsOnlyKeys("a");
    assertThat(seen).isNotEmpty();
    assertThat(seen.get(seen.size() - 1)).isSameAs(client.current());

    s.out().onNext(response(TypeUrls.WORKLOAD, "3", List.of(resource("b", "1", workload("b"))), List.of("a")));
    assertThat(s.next().getResponseNonce()).isEqualTo("3");
    assertThat(client.current().resources(Workload.class)).containsOnlyKeys("b");
  }

  @Test
  void rejectedConfigIsNackedAndTheStateKept() throws Exception {
    client = builder().validator((type, candidate) -> {
      if (candidate.resources(Workload.class).containsKey("evil")) {
        throw new IllegalArgumentException("workload evil: address 0.0.0.0 is not routable");
      }
    }).build();
    Stream s = syncedStream();
    ConfigState good = client.current();

    s.out().onNext(response(TypeUrls.WORKLOAD, "3", List.of(resource("evil", "1", workload("evil"))), List.of()));
    DeltaDiscoveryRequest nack = s.next();
    assertThat(nack.getResponseNonce()).isEqualTo("3");
    assertThat(nack.getErrorDetail().getMessage()).isEqualTo("workload evil: address 0.0.0.0 is not routable");
    assertThat(client.current()).isSameAs(good);

    s.out().onNext(response(TypeUrls.WORKLOAD, "4",
        List.of(resource("s", "1", Service.newBuilder().setName("s").build())), List.of()));
    DeltaDiscoveryRequest wrongType = s.next();
    assertThat(wrongType.getErrorDetail().getMessage()).contains("resource 's'");
    assertThat(client.current()).isSameAs(good);

    s.out().onNext(response(TypeUrls.ROUTE, "5", List.of(), List.of()));
    assertThat(s.next().getErrorDetail().getMessage()).contains("did not subscribe");
  }

  @Test
  void reconnectsWithWhatItHoldsAndKeepsStateMeanwhile() throws Exception {
    client = builder().build();
    Stream s = syncedStream();
    ConfigState held = client.current();

    s.out().onError(Status.UNAVAILABLE.withDescription("control plane restarting").asRuntimeException());
    Stream again = nextStream();
    assertThat(client.current()).isSameAs(held);
    DeltaDiscoveryRequest w = again.next();
    assertThat(w.getNode()).isEqualTo(NODE);
    assertThat(w.getInitialResourceVersionsMap()).containsExactly(java.util.Map.entry("a", "1"));
    assertThat(again.next().getInitialResourceVersionsMap()).isEmpty();

    again.out().onNext(response(TypeUrls.WORKLOAD, "1", List.of(resource("a", "2", workload("a2"))), List.of()));
    assertThat(again.next().getResponseNonce()).isEqualTo("1");
    assertThat(client.current().resource(Workload.class, "a")).map(Workload::getName).contains("a2");
    assertThat(client.synced()).isTrue();
  }

  @Test
  void closeStopsReconnecting() throws Exception {
    client = builder().build();
    Stream s = syncedStream();
    ConfigState held = client.current();
    client.close();
    waitFor(() -> s.error().get() != null);
    assertThat(Status.fromThrowable(s.error().get()).getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(streams).isEmpty();
    assertThat(client.current()).isSameAs(held);
  }

  @Test
  void builderRefusesMissingTypes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigClient.builder(NODE, channel).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("typeUrls");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigClient.builder(Node.getDefaultInstance(), channel))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node.id");
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }
}
