package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.ProxyType;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one proxy's stream: reads its requests, and sends each subscribed type's delta when the
 * snapshot changes, the previous response is ACKed, or the transport becomes writable again.
 *
 * <p>Everything runs on the stream's {@link SerialExecutor}; a proxy that stops reading only stops
 * its own stream, because nothing is written while the transport is not ready.
 */
final class DeltaStream implements StreamObserver<DeltaDiscoveryRequest> {

  private static final Logger log = LoggerFactory.getLogger(DeltaStream.class);

  private final long id;
  private final ServerCallStreamObserver<DeltaDiscoveryResponse> out;
  private final Metadata headers;
  private final DeltaDiscoveryServer.Settings settings;
  private final SerialExecutor serial;
  private final Runnable onClosed;
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  private final Map<String, TypeSubscription> types = new LinkedHashMap<>();

  private Node node;
  private String proxyKey;
  private Instant connectedSince;
  private AutoCloseable watch;
  private long nonces;
  private boolean closed;
  private volatile ProxyStatus status;

  DeltaStream(long id, ServerCallStreamObserver<DeltaDiscoveryResponse> out, Metadata headers,
      DeltaDiscoveryServer.Settings settings, Runnable onClosed) {
    this.id = id;
    this.out = out;
    this.headers = headers;
    this.settings = settings;
    this.serial = new SerialExecutor(settings.executor());
    this.onClosed = onClosed;
    out.setOnReadyHandler(this::wake);
    out.setOnCancelHandler(() -> serial.execute(() -> closed(Status.CANCELLED.asRuntimeException())));
  }

  /** Returns the stream's debug view, or empty before its first request. */
  Optional<ProxyStatus> status() {
    return Optional.ofNullable(status);
  }

  @Override
  public void onNext(DeltaDiscoveryRequest request) {
    serial.execute(() -> handle(request));
  }

  @Override
  public void onError(Throwable t) {
    serial.execute(() -> closed(t));
  }

  @Override
  public void onCompleted() {
    serial.execute(() -> {
      if (!closed) {
        out.onCompleted();
      }
      closed(null);
    });
  }

  private void wake() {
    if (wakeScheduled.compareAndSet(false, true)) {
      serial.execute(() -> {
        wakeScheduled.set(false);
        types.values().forEach(this::push);
        publishStatus();
      });
    }
  }

  private void handle(DeltaDiscoveryRequest request) {
    if (closed) {
      return;
    }
    if (node == null && !open(request)) {
      return;
    }
    settings.callbacks().onRequest(id, request);
    String typeUrl = request.getTypeUrl();
    if (typeUrl.isEmpty()) {
      fail(Status.INVALID_ARGUMENT.withDescription("request has no type_url: set it to the resource type to subscribe to"));
      return;
    }
    TypeSubscription sub = types.computeIfAbsent(typeUrl, TypeSubscription::new);
    String nonce = request.getResponseNonce();
    if (!nonce.isEmpty()) {
      if (request.hasErrorDetail()) {
        String message = request.getErrorDetail().getMessage();
        if (sub.nack(nonce, message)) {
          log.warn("proxy {} rejected {} (nonce {}): {}", node.getId(), typeUrl, nonce, message);
          settings.callbacks().onNack(id, typeUrl, nonce, message);
        }
      } else if (sub.ack(nonce)) {
        settings.callbacks().onAck(id, typeUrl, nonce);
      }
    }
    if (nonce.isEmpty() || request.getResourceNamesSubscribeCount() > 0 || request.getResourceNamesUnsubscribeCount() > 0) {
      sub.subscribe(request);
    }
    push(sub);
    publishStatus();
  }

  private boolean open(DeltaDiscoveryRequest request) {
    if (!request.hasNode() || request.getNode().getId().isEmpty()) {
      fail(Status.INVALID_ARGUMENT.withDescription(
          "the first request on a stream must carry node.id: set the proxy's node identity"));
      return false;
    }
    try {
      settings.authenticator().authenticate(headers, request.getNode());
    } catch (StatusException e) {
      fail(e.getStatus());
      return false;
    } catch (RuntimeException e) {
      log.error("authenticator failed for node {}", request.getNode().getId(), e);
      fail(Status.INTERNAL.withDescription("authentication failed on the control plane; see its log"));
      return false;
    }
    node = request.getNode();
    proxyKey = settings.proxyKeyFunction().proxyKey(node);
    connectedSince = Instant.now();
    watch = settings.cache().watch(proxyKey, this::wake);
    settings.callbacks().onStreamOpen(id, node);
    return true;
  }

  private void push(TypeSubscription sub) {
    if (closed || !out.isReady()) {
      return; // the on-ready handler wakes us when the proxy reads again
    }
    Optional<Snapshot> snapshot = settings.cache().get(proxyKey);
    if (snapshot.isEmpty()) {
      return;
    }
    TypeSubscription.Delta delta = sub.nextDelta(snapshot.get().resources(sub.typeUrl()), settings.diffs());
    if (delta == null) {
      return;
    }
    String nonce = Long.toString(++nonces);
    DeltaDiscoveryResponse response = DeltaDiscoveryResponse.newBuilder()
        .setSystemVersionInfo(snapshot.get().version())
        .setTypeUrl(sub.typeUrl())
        .addAllResources(delta.resources())
        .addAllRemovedResources(delta.removed())
        .setNonce(nonce)
        .build();
    sub.sent(nonce, delta, snapshot.get().version());
    out.onNext(response);
    settings.callbacks().onResponse(id, response);
  }

  private void fail(Status status) {
    if (closed) {
      return;
    }
    out.onError(status.asRuntimeException());
    closed(status.asRuntimeException());
  }

  private void closed(Throwable error) {
    if (closed) {
      return;
    }
    closed = true;
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        log.warn("BUG: closing a snapshot watch failed", e);
      }
    }
    onClosed.run();
    if (node != null) {
      settings.callbacks().onStreamClose(id, node, error);
    }
  }

  private void publishStatus() {
    if (node == null) {
      return;
    }
    Map<String, ProxyStatus.TypeStatus> byType = new LinkedHashMap<>();
    types.forEach((type, sub) -> byType.put(type, sub.status()));
    ProxyType type = node.getType() == ProxyType.UNRECOGNIZED ? ProxyType.NODE_AGENT : node.getType();
    status = new ProxyStatus(id, proxyKey, node.getId(), node.getNodeName(), type, connectedSince, byType);
  }
}
