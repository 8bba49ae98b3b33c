package dev.meshctl.controlplane.server;

import dev.meshctl.controlplane.ca.CaGrpcService;
import dev.meshctl.controlplane.ca.MeshCa;
import dev.meshctl.controlplane.ca.NodeAuthenticator;
import dev.meshctl.controlplane.ca.NodeCredentials;
import dev.meshctl.controlplane.push.DeltaDiscoveryServer;
import dev.meshctl.controlplane.push.Snapshot;
import dev.meshctl.controlplane.push.SnapshotCache;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.WorkloadCertificate;
import dev.meshctl.controlplane.source.ObjectSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the control plane: the CA, the discovery server and the loop that turns store changes into snapshots. A change
 * in the store schedules one translation; changes arriving while it runs are folded into the next one.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
  private final ControlPlaneOptions options;
  private final Function<List<HasMetadata>, Map<String, Snapshot>> translator;
  private final SnapshotCache cache = new SnapshotCache();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "translate");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final AtomicLong generation = new AtomicLong();
  private final DebugServer debugServer;
  private volatile PodDirectory directory = PodDirectory.EMPTY;
  private volatile Set<String> keys = Set.of();
  private volatile String lastError = "";
  private final ObjectSource source;
  private Closeable watch;
  private Server server;
  private DeltaDiscoveryServer discovery;
  private MeshCa ca;
  private NodeAuthenticator authenticator;

  public ControlPlane(ControlPlaneOptions options, ObjectSource source,
      Function<List<HasMetadata>, Map<String, Snapshot>> translator) {
    this.options = options;
    this.source = source;
    this.translator = translator;
    this.debugServer = new DebugServer(this);
  }

  /** Starts everything and returns when the first translation is published and the server listens. */
  public ControlPlane start() throws IOException {
    ca = options.loadCa(Clock.systemUTC());
    NodeAuthenticator credentials = authenticator != null ? authenticator
        : reloading(options.stateDir().resolve("node-tokens"));
    translate();
    watch = source.watch(this::schedule);
    discovery = DeltaDiscoveryServer.builder(cache).authenticator(new NodeTokenAuthenticator(credentials)).build();
    CaGrpcService caService = new CaGrpcService(ca, credentials, (node, ns, sa) -> directory.runsOnNode(node, ns, sa));
    WorkloadCertificate serving = ca.issueServerCertificate(
        SpiffeId.of(options.trustDomain(), "istio-system", "meshctl-controlplane"),
        options.serverNames().stream().filter(n -> !n.matches("[0-9.]+")).toList(),
        options.serverNames().stream().filter(n -> n.matches("[0-9.]+")).toList(), Duration.ofDays(365));
    server = NettyServerBuilder.forAddress(options.listen())
        .sslContext(serverTls(serving))
        .addService(discovery)
        .addService(caService.definition())
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .build()
        .start();
    debugServer.start(options.debug());
    LOG.info("control plane listening on {} (discovery + CA), debug on {}, trust domain {}", options.listen(),
        options.debug(), options.trustDomain());
    return this;
  }

  /** Re-reads the token file on a miss, so a token issued while running (a waypoint's) is accepted. */
  private static NodeAuthenticator reloading(java.nio.file.Path file) {
    NodeCredentials loaded = NodeCredentials.open(file);
    return token -> loaded.authenticate(token).or(() -> NodeCredentials.open(file).authenticate(token));
  }

  private SslContext serverTls(WorkloadCertificate serving) throws IOException {
    List<java.security.cert.X509Certificate> chain = new ArrayList<>(serving.chain());
    String pem = Pem.encodeCertificates(chain);
    String key = Pem.encodePrivateKey(serving.key());
    return GrpcSslContexts.forServer(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)),
        new ByteArrayInputStream(key.getBytes(StandardCharsets.US_ASCII))).build();
  }

  private void schedule() {
    if (dirty.compareAndSet(false, true)) {
      loop.execute(() -> {
        dirty.set(false);
        translate();
      });
    }
  }

  private synchronized void translate() {
    try {
      List<HasMetadata> objects = source.list();
      directory = PodDirectory.of(objects);
      Map<String, Snapshot> snapshots = translator.apply(objects);
      Set<String> next = new HashSet<>(snapshots.keySet());
      snapshots.forEach(cache::set);
      for (String old : keys) {
        if (!next.contains(old)) {
          cache.clear(old);
        }
      }
      keys = Set.copyOf(next);
      generation.incrementAndGet();
      lastError = "";
    } catch (RuntimeException e) {
      // keep serving the last good snapshots: a bad object must never take config away from proxies
      lastError = e.toString();
      LOG.error("translation failed, proxies keep their last good config: {}", e.toString(), e);
    }
  }

  /** Authenticates proxies with {@code authenticator} instead of the lab's bootstrap tokens (Kubernetes). */
  public ControlPlane withAuthenticator(NodeAuthenticator authenticator) {
    this.authenticator = authenticator;
    return this;
  }

  /** Returns the discovery server (for its debug view of connected proxies). */
  public DeltaDiscoveryServer discovery() {
    return discovery;
  }

  public SnapshotCache cache() {
    return cache;
  }

  public MeshCa ca() {
    return ca;
  }

  /** Returns the translator (the debug server reads the waypoint bindings of a {@link MeshTranslation}). */
  Function<List<HasMetadata>, Map<String, Snapshot>> translator() {
    return translator;
  }

  /** Counts published translations. */
  public long generation() {
    return generation.get();
  }

  public String lastError() {
    return lastError;
  }

  public Set<String> proxyKeys() {
    return keys;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    debugServer.stop();
    if (server != null) {
      server.shutdown();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.shutdownNow();
    }
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        LOG.warn("closing the store watch: {}", e.toString());
      }
    }
    loop.shutdownNow();
  }
}
