package dev.meshctl.controlplane.bench;

import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import dev.meshctl.api.discovery.Node;
import dev.meshctl.controlplane.push.DiscoveryCallbacks;
import dev.meshctl.controlplane.translate.ProxyKeys;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records, with {@link System#nanoTime()}, what the push server sends and which snapshot version each proxy has
 * ACKed per type; times the clients' handling of each response through {@link #clientTimer()}.
 *
 * <p>The server's {@code onAck} is the end of a propagation: the proxy decoded, applied and accepted the response,
 * and its ACK reached the control plane.
 */
final class PushProbe implements DiscoveryCallbacks {

  /** The last snapshot version a proxy ACKed for one type, and when. */
  record Ack(String version, long nanos) {}

  /** What one change cost, counted since the last {@link #reset()}. */
  record Traffic(long bytes, long responses, int proxiesReached, long lastResponseNanos, long clientNanos,
      long lastClientNanos) {}

  private final Map<Long, String> proxyKeys = new ConcurrentHashMap<>();
  private final Map<Long, Map<String, String>> versionsInFlight = new ConcurrentHashMap<>();
  private final Map<String, Ack> acks = new ConcurrentHashMap<>();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder responses = new LongAdder();
  private final Set<Long> streamsReached = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastResponse = new AtomicLong();
  private final LongAdder clientNanos = new LongAdder();
  private final AtomicLong lastClient = new AtomicLong();
  private Map<String, String> awaited;

  /** Returns the key under which {@link #await} expects an ACK. */
  static String key(String proxyKey, String typeUrl) {
    return proxyKey + "\n" + typeUrl;
  }

  @Override
  public void onStreamOpen(long streamId, Node node) {
    proxyKeys.put(streamId, ProxyKeys.of(node));
    versionsInFlight.put(streamId, new ConcurrentHashMap<>());
  }

  @Override
  public void onResponse(long streamId, DeltaDiscoveryResponse response) {
    versionsInFlight.get(streamId).put(response.getNonce(), response.getSystemVersionInfo());
    bytes.add(response.getSerializedSize());
    responses.increment();
    streamsReached.add(streamId);
    lastResponse.accumulateAndGet(System.nanoTime(), Math::max);
  }

  @Override
  public void onAck(long streamId, String typeUrl, String nonce) {
    long now = System.nanoTime();
    String version = versionsInFlight.get(streamId).remove(nonce);
    if (version == null) {
      return;
    }
    String key = key(proxyKeys.get(streamId), typeUrl);
    acks.put(key, new Ack(version, now));
    synchronized (this) {
      if (awaited != null && version.equals(awaited.get(key))) {
        awaited.remove(key);
        if (awaited.isEmpty()) {
          notifyAll();
        }
      }
    }
  }

  /** Forgets the traffic counted so far; ACK records stay. */
  void reset() {
    bytes.reset();
    responses.reset();
    streamsReached.clear();
    lastResponse.set(0);
    clientNanos.reset();
    lastClient.set(0);
  }

  /** Returns the traffic since the last {@link #reset()}. */
  Traffic traffic() {
    return new Traffic(bytes.sum(), responses.sum(), streamsReached.size(), lastResponse.get(), clientNanos.sum(),
        lastClient.get());
  }

  /**
   * Waits until every {@link #key} in {@code expected} has ACKed its version, and returns when the last of them did.
   *
   * @throws IllegalStateException naming what is missing if the deadline passes
   */
  long await(Map<String, String> expected, long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (this) {
      awaited = new HashMap<>(expected);
      awaited.entrySet().removeIf(e -> acked(e.getKey(), e.getValue()));
      try {
        while (!awaited.isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IllegalStateException(awaited.size() + " of " + expected.size() + " proxy types did not ACK"
                + " within " + timeout + " " + unit + ", e.g. " + awaited.keySet().iterator().next().replace('\n', ' ')
                + ": look for NACKs or a stuck stream in the log");
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      } finally {
        awaited = null;
      }
    }
    long last = 0;
    for (String key : expected.keySet()) {
      last = Math.max(last, acks.get(key).nanos());
    }
    return last;
  }

  private boolean acked(String key, String version) {
    Ack a = acks.get(key);
    return a != null && a.version().equals(version);
  }

  /** Returns an interceptor that times each response's handling by a client (apply, validate, ACK send). */
  ClientInterceptor clientTimer() {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onMessage(R message) {
                long start = System.nanoTime();
                super.onMessage(message);
                long end = System.nanoTime();
                clientNanos.add(end - start);
                lastClient.accumulateAndGet(end, Math::max);
              }
            }, headers);
          }
        };
      }
    };
  }
}
