package dev.meshctl.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.discovery.AggregatedDiscoveryServiceGrpc;
import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.Status;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Drives one discovery stream by hand, so tests can choose exactly what the proxy says. */
final class RawStream implements ClientResponseObserver<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

  private static final AtomicInteger BARRIERS = new AtomicInteger();

  final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
  volatile Throwable error;
  private final boolean manualFlow;
  private ClientCallStreamObserver<DeltaDiscoveryRequest> requests;

  private RawStream(boolean manualFlow) {
    this.manualFlow = manualFlow;
  }

  /** Opens a stream that reads everything the server sends. */
  static RawStream open(Channel channel) {
    return open(channel, false);
  }

  /** Opens a stream that never reads: the server sees a proxy that stopped consuming. */
  static RawStream openNeverReading(Channel channel) {
    return open(channel, true);
  }

  private static RawStream open(Channel channel, boolean manualFlow) {
    RawStream s = new RawStream(manualFlow);
    ClientCalls.asyncBidiStreamingCall(
        channel.newCall(AggregatedDiscoveryServiceGrpc.deltaResourcesMethod(), CallOptions.DEFAULT), s);
    return s;
  }

  static Node node(String id) {
    return Node.newBuilder().setId(id).setNodeName("node-1").build();
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<DeltaDiscoveryRequest> requests) {
    this.requests = requests;
    if (manualFlow) {
      requests.disableAutoRequestWithInitial(0);
    }
  }

  synchronized void send(DeltaDiscoveryRequest request) {
    requests.onNext(request);
  }

  void subscribe(Node node, String typeUrl) {
    subscribe(node, typeUrl, Map.of());
  }

  void subscribe(Node node, String typeUrl, Map<String, String> initialVersions) {
    DeltaDiscoveryRequest.Builder b = DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl)
        .addResourceNamesSubscribe("*").putAllInitialResourceVersions(initialVersions);
    if (node != null) {
      b.setNode(node);
    }
    send(b.build());
  }

  void ack(DeltaDiscoveryResponse response) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce()).build());
  }

  void nack(DeltaDiscoveryResponse response, String message) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce())
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message)).build());
  }

  /** Waits (bounded) for the next response. */
  DeltaDiscoveryResponse next() throws InterruptedException {
    DeltaDiscoveryResponse r = responses.poll(10, TimeUnit.SECONDS);
    assertThat(r).as("a response within 10 s (stream error: %s)", error).isNotNull();
    return r;
  }

  /**
   * Subscribes to a fresh type nobody has and waits for its (empty) first response. The server
   * handles a stream's events in order, so everything queued before, such as snapshot wake-ups,
   * has been handled by then. Returns the responses that arrived before the barrier's.
   */
  java.util.List<DeltaDiscoveryResponse> barrier() throws InterruptedException {
    String type = "type.meshctl.dev/test.Barrier" + BARRIERS.incrementAndGet();
    subscribe(null, type);
    java.util.List<DeltaDiscoveryResponse> before = new java.util.ArrayList<>();
    while (true) {
      DeltaDiscoveryResponse r = next();
      if (r.getTypeUrl().equals(type)) {
        ack(r);
        return before;
      }
      before.add(r);
    }
  }

  void close() {
    requests.onCompleted();
  }

  void cancel() {
    requests.cancel("test done", null);
  }

  @Override
  public void onNext(DeltaDiscoveryResponse value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
  }

  @Override
  public void onCompleted() {}
}
