package dev.meshctl.core.config;

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
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a proxy's {@link ConfigState} in sync with the control plane over the delta discovery
 * stream.
 *
 * <p>Subscribes to every resource of each type, applies each response to a candidate state, runs
 * the {@link ConfigValidator}, then ACKs (and publishes the state) or NACKs (and keeps the previous
 * one). When the stream ends it reconnects with capped exponential backoff and declares what it
 * holds, so only differences are sent again. While the control plane is away, {@link #current()}
 * stays the last good state.
 *
 * <pre>{@code
 * ConfigClient client = ConfigClient.builder(node, () -> channel)
 *     .typeUrls(TypeUrls.NODE_AGENT_TYPES)
 *     .listener(state -> router.update(state))
 *     .build();
 * client.start();
 * client.awaitSynced(Duration.ofSeconds(10));
 * }</pre>
 */
public final class ConfigClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConfigClient.class);

  private final Node node;
  private final Supplier<? extends Channel> channels;
  private final CallOptions callOptions;
  private final List<String> typeUrls;
  private final ConfigValidator validator;
  private final List<Consumer<ConfigState>> listeners;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;

  private final Object lock = new Object();
  private final Set<String> ackedTypes = new HashSet<>();
  private volatile ConfigState state;
  private Attempt attempt;
  private int failures;
  private boolean started;
  private boolean closed;

  private ConfigClient(Builder b) {
    this.node = b.node;
    this.channels = b.channels;
    this.callOptions = b.callOptions;
    this.typeUrls = List.copyOf(b.typeUrls);
    this.validator = b.validator;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.backoff = b.backoff;
    this.state = b.initialState;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "config-client-" + node.getId());
      t.setDaemon(true);
      return t;
    });
  }

  /** Returns a builder that opens each stream on a channel from {@code channels}. */
  public static Builder builder(Node node, Supplier<? extends Channel> channels) {
    return new Builder(node, channels);
  }

  /** Returns a builder that opens every stream on {@code channel}. */
  public static Builder builder(Node node, Channel channel) {
    Objects.requireNonNull(channel, "channel");
    return new Builder(node, () -> channel);
  }

  /** Opens the stream; reconnects on its own from then on until {@link #close()}. */
  public void start() {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("config client for " + node.getId() + " already started");
      }
      started = true;
    }
    scheduler.execute(this::connect);
  }

  /** Returns the last accepted state (the initial one until the first ACK). */
  public ConfigState current() {
    return state;
  }

  /** Returns true once at least one response of every subscribed type was accepted since start. */
  public boolean synced() {
    synchronized (lock) {
      return ackedTypes.containsAll(typeUrls);
    }
  }

  /** Waits up to {@code timeout} for {@link #synced()}; returns whether it became true (false once closed). */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!ackedTypes.containsAll(typeUrls)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /** Adds a listener called with each newly accepted state, on the stream's thread. */
  public void addListener(Consumer<ConfigState> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Ends the stream and stops reconnecting; the last state stays readable. */
  @Override
  public void close() {
    Attempt a;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      a = attempt;
      attempt = null;
      lock.notifyAll();
    }
    if (a != null) {
      a.cancel();
    }
    scheduler.shutdownNow();
  }

  private void connect() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      Attempt a = new Attempt();
      attempt = a;
      try {
        ClientCalls.asyncBidiStreamingCall(
            channels.get().newCall(AggregatedDiscoveryServiceGrpc.deltaResourcesMethod(), callOptions), a);
        for (int i = 0; i < typeUrls.size(); i++) {
          String type = typeUrls.get(i);
          DeltaDiscoveryRequest.Builder req = DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(type)
              .addResourceNamesSubscribe("*")
              .putAllInitialResourceVersions(state.versions(type));
          if (i == 0) {
            req.setNode(node);
          }
          a.send(req.build());
        }
      } catch (RuntimeException e) {
        log.warn("opening the config stream for {} failed", node.getId(), e);
        a.cancel();
        ended(a, e);
      }
    }
  }

  private void received(Attempt a, DeltaDiscoveryResponse response) {
    synchronized (lock) {
      if (a != attempt || closed) {
        return;
      }
      failures = 0;
      String type = response.getTypeUrl();
      String error = null;
      ConfigState candidate = null;
      if (!typeUrls.contains(type)) {
        error = "received " + type + " which this proxy did not subscribe to";
      } else {
        try {
          candidate = state.apply(type, response.getResourcesList(), response.getRemovedResourcesList());
          validator.validate(type, candidate);
        } catch (Exception e) {
          error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
      }
      DeltaDiscoveryRequest.Builder reply = DeltaDiscoveryRequest.newBuilder()
          .setTypeUrl(type)
          .setResponseNonce(response.getNonce());
      if (error != null) {
        log.warn("rejected config {} version {}: {}", type, response.getSystemVersionInfo(), error);
        a.send(reply.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error)).build());
        return;
      }
      boolean changed = candidate != state;
      state = candidate;
      if (ackedTypes.add(type)) {
        lock.notifyAll();
      }
      if (changed) {
        for (Consumer<ConfigState> listener : listeners) {
          try {
            listener.accept(candidate);
          } catch (RuntimeException e) {
            log.error("config listener failed; the config is still applied", e);
          }
        }
      }
      a.send(reply.build());
    }
  }

  private void ended(Attempt a, Throwable error) {
    synchronized (lock) {
      if (a != attempt || closed) {
        return;
      }
      attempt = null;
      Duration delay = backoff.delay(failures++, ThreadLocalRandom.current().nextDouble());
      log.info("config stream for {} ended ({}); keeping the last good config, reconnecting in {} ms",
          node.getId(), error == null ? "closed by the control plane" : error.toString(), delay.toMillis());
      try {
        scheduler.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed concurrently
      }
    }
  }

  /** One stream; late callbacks from an old stream are ignored. */
  private final class Attempt implements ClientResponseObserver<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
    private ClientCallStreamObserver<DeltaDiscoveryRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<DeltaDiscoveryRequest> requests) {
      this.requests = requests;
    }

    void send(DeltaDiscoveryRequest request) {
      requests.onNext(request);
    }

    void cancel() {
      if (requests != null) {
        requests.cancel("config client closed", null);
      }
    }

    @Override
    public void onNext(DeltaDiscoveryResponse response) {
      received(this, response);
    }

    @Override
    public void onError(Throwable t) {
      ended(this, t);
    }

    @Override
    public void onCompleted() {
      ended(this, null);
    }
  }

  /** Configures a {@link ConfigClient}. */
  public static final class Builder {
    private final Node node;
    private final Supplier<? extends Channel> channels;
    private CallOptions callOptions = CallOptions.DEFAULT;
    private List<String> typeUrls = List.of();
    private ConfigValidator validator = ConfigValidator.acceptAll();
    private final List<Consumer<ConfigState>> listeners = new CopyOnWriteArrayList<>();
    private Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15));
    private ConfigState initialState = ConfigState.empty();

    private Builder(Node node, Supplier<? extends Channel> channels) {
      this.node = Objects.requireNonNull(node, "node");
      this.channels = Objects.requireNonNull(channels, "channels");
      if (node.getId().isEmpty()) {
        throw new IllegalArgumentException("node.id is empty: give the proxy an id such as node-agent~<node name>");
      }
    }

    /** Sets the types to subscribe to (every resource of each). Required. */
    public Builder typeUrls(List<String> typeUrls) {
      this.typeUrls = List.copyOf(Objects.requireNonNull(typeUrls, "typeUrls"));
      return this;
    }

    /** Sets the check run before accepting a config; default accepts all that decodes. */
    public Builder validator(ConfigValidator validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
      return this;
    }

    /** Adds a listener called with each newly accepted state. */
    public Builder listener(Consumer<ConfigState> listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Sets call options, e.g. credentials carrying the node bootstrap token. */
    public Builder callOptions(CallOptions callOptions) {
      this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
      return this;
    }

    /** Sets the reconnect backoff; default 200 ms doubling to 15 s. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Starts from a state (e.g. a static config file) instead of empty. */
    public Builder initialState(ConfigState initialState) {
      this.initialState = Objects.requireNonNull(initialState, "initialState");
      return this;
    }

    public ConfigClient build() {
      if (typeUrls.isEmpty()) {
        throw new IllegalArgumentException("no type URLs to subscribe to: call typeUrls(TypeUrls.NODE_AGENT_TYPES) or similar");
      }
      return new ConfigClient(this);
    }
  }
}
