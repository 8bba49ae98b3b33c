package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.AggregatedDiscoveryServiceGrpc;
import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves {@code AggregatedDiscoveryService.DeltaResources}: streams each proxy the changes between
 * what it has ACKed and its snapshot in a {@link SnapshotCache}.
 *
 * <pre>{@code
 * SnapshotCache cache = new SnapshotCache();
 * DeltaDiscoveryServer push = DeltaDiscoveryServer.builder(cache)
 *     .authenticator(tokenAuthenticator)
 *     .build();
 * Server server = NettyServerBuilder.forPort(15010).addService(push).build().start();
 * cache.set("node-agent~node-1", snapshot);   // the proxy gets what changed
 * }</pre>
 */
public final class DeltaDiscoveryServer implements BindableService {

  private static final Context.Key<Metadata> HEADERS = Context.key("meshctl-push-headers");

  /** What every stream of one server shares. */
  record Settings(SnapshotCache cache, ProxyKeyFunction proxyKeyFunction, Authenticator authenticator,
      DiscoveryCallbacks callbacks, Executor executor, ResourceDiffs diffs) {}

  private final Settings settings;
  private final AtomicLong streamIds = new AtomicLong();
  private final Map<Long, DeltaStream> streams = new ConcurrentHashMap<>();

  private DeltaDiscoveryServer(Settings settings) {
    this.settings = settings;
  }

  /** Returns a builder serving snapshots from {@code cache}. */
  public static Builder builder(SnapshotCache cache) {
    return new Builder(cache);
  }

  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition definition = ServerServiceDefinition
        .builder(AggregatedDiscoveryServiceGrpc.serviceDescriptor())
        .addMethod(AggregatedDiscoveryServiceGrpc.deltaResourcesMethod(),
            ServerCalls.asyncBidiStreamingCall(this::openStream))
        .build();
    return ServerInterceptors.intercept(definition, new HeadersInterceptor());
  }

  /** Returns the connected proxies' debug view, oldest stream first. */
  public List<ProxyStatus> proxyStatuses() {
    return streams.values().stream()
        .map(DeltaStream::status)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparingLong(ProxyStatus::streamId))
        .toList();
  }

  private StreamObserver<DeltaDiscoveryRequest> openStream(StreamObserver<DeltaDiscoveryResponse> responses) {
    long id = streamIds.incrementAndGet();
    Metadata headers = Optional.ofNullable(HEADERS.get()).orElseGet(Metadata::new);
    DeltaStream stream = new DeltaStream(id, (ServerCallStreamObserver<DeltaDiscoveryResponse>) responses,
        headers, settings, () -> streams.remove(id));
    streams.put(id, stream);
    return stream;
  }

  /** Makes the call's headers visible to {@link #openStream} for the authenticator. */
  private static final class HeadersInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
    }
  }

  /** Configures a {@link DeltaDiscoveryServer}. */
  public static final class Builder {
    private final SnapshotCache cache;
    private ProxyKeyFunction proxyKeyFunction = ProxyKeyFunction.byNodeId();
    private Authenticator authenticator = Authenticator.allowAll();
    private DiscoveryCallbacks callbacks = DiscoveryCallbacks.none();
    private Executor executor = ForkJoinPool.commonPool();

    private Builder(SnapshotCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** Chooses the snapshot key of each proxy; default {@code node.id}. */
    public Builder proxyKeyFunction(ProxyKeyFunction proxyKeyFunction) {
      this.proxyKeyFunction = Objects.requireNonNull(proxyKeyFunction, "proxyKeyFunction");
      return this;
    }

    /** Checks each stream's caller; default allows everyone. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** Observes streams, requests, ACKs and NACKs; default none. */
    public Builder callbacks(DiscoveryCallbacks callbacks) {
      this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
      return this;
    }

    /** Runs stream work (never blocking); default the common fork-join pool. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public DeltaDiscoveryServer build() {
      return new DeltaDiscoveryServer(new Settings(cache, proxyKeyFunction, authenticator, callbacks, executor,
          new ResourceDiffs()));
    }
  }
}
