package dev.meshctl.nodeagent;

import dev.meshctl.core.config.Backoff;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.RenewalSchedule;
import dev.meshctl.nodeagent.admin.AdminViews;
import dev.meshctl.nodeagent.admin.HttpEndpoint;
import dev.meshctl.nodeagent.admin.Readiness;
import dev.meshctl.nodeagent.admin.Response;
import dev.meshctl.nodeagent.config.ConfigSource;
import dev.meshctl.nodeagent.config.ControlPlaneConnection;
import dev.meshctl.nodeagent.config.SourceStatus;
import dev.meshctl.nodeagent.config.StaticConfigSource;
import dev.meshctl.nodeagent.config.XdsConfigSource;
import dev.meshctl.nodeagent.identity.CertificateIssuer;
import dev.meshctl.nodeagent.identity.CertificateStatus;
import dev.meshctl.nodeagent.identity.IdentityManager;
import dev.meshctl.nodeagent.identity.LocalCa;
import dev.meshctl.nodeagent.identity.Scheduler;
import dev.meshctl.nodeagent.identity.WorkloadIdentities;
import dev.meshctl.nodeagent.proxy.Proxy;
import dev.meshctl.nodeagent.proxy.ProxySettings;
import dev.meshctl.nodeagent.state.MeshState;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node agent: config source -> mesh state -> certificates for local workloads -> traffic path, plus the
 * admin, metrics and readiness endpoints. The traffic path starts only once a complete config is applied and every
 * local enrolled workload has a certificate, so a new agent never forwards unprotected.
 *
 * <pre>{@code
 * try (NodeAgent agent = NodeAgent.start(NodeAgentOptions.fromArgs(args, System.getenv()))) {
 *   agent.awaitShutdown();
 * }
 * }</pre>
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  private static final Duration UNREACHABLE_WARNING = Duration.ofSeconds(10);

  /** The part of the agent that carries traffic; the proxy in production, a stand-in in tests. */
  public interface TrafficPath extends AutoCloseable {
    /** Binds listeners and installs capture; called once, when the agent first becomes ready. */
    void start() throws Exception;

    /** Applies a new mesh state. */
    void update(MeshState state);

    /** Returns the open connections for the admin view. */
    Object connections();

    /** Drains connections and removes capture rules. */
    @Override
    void close();
  }

  /** Creates the traffic path from the settings, the identities it may use and the metrics registry. */
  @FunctionalInterface
  public interface TrafficPathFactory {
    /** Creates a traffic path; nothing listens before {@link TrafficPath#start()}. */
    TrafficPath create(ProxySettings settings, WorkloadIdentities identities, MeterRegistry registry);
  }

  private final NodeAgentOptions options;
  private final Clock clock = Clock.systemUTC();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-agent-identity");
    t.setDaemon(true);
    return t;
  });
  private final List<HttpEndpoint> endpoints = new ArrayList<>();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private ControlPlaneConnection connection;
  private IdentityManager identities;
  private TrafficPath traffic;
  private ConfigSource source;
  private volatile MeshState state = MeshState.empty();
  private volatile boolean trafficStarted;
  private volatile String trafficError = "";
  private boolean closed;

  private NodeAgent(NodeAgentOptions options) {
    this.options = options;
  }

  /** Runs the node agent until SIGTERM; exits 2 on bad arguments and 1 when it cannot start. */
  public static void main(String[] args) {
    NodeAgentOptions options;
    try {
      options = NodeAgentOptions.fromArgs(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    NodeAgent agent;
    try {
      agent = start(options);
    } catch (Exception e) {
      log.error("node agent for {} did not start: {}", options.nodeName(), e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: draining connections and removing capture rules");
      agent.close();
      // SIGTERM is the normal way to stop the agent, so it ends with 0 rather than the JVM's 143.
      Runtime.getRuntime().halt(0);
    }, "node-agent-shutdown"));
    agent.awaitShutdown();
  }

  /** Starts the agent with the production traffic path (the proxy). */
  public static NodeAgent start(NodeAgentOptions options) throws IOException {
    return start(options, ProductionTrafficPath::create);
  }

  /**
   * Starts the agent with {@code factory}'s traffic path; returns once the endpoints listen and the config source
   * runs (a static config is applied before this returns).
   *
   * @throws IOException if an endpoint cannot be bound
   * @throws IllegalArgumentException if a file the options name cannot be used
   */
  public static NodeAgent start(NodeAgentOptions options, TrafficPathFactory factory) throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(factory, "factory");
    NodeAgent agent = new NodeAgent(options);
    try {
      agent.run(factory);
    } catch (IOException | RuntimeException e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  private void run(TrafficPathFactory factory) throws IOException {
    CertificateIssuer issuer = issuer();
    identities = new IdentityManager(options.nodeName(), options.trustDomain(), issuer,
        Scheduler.of(background, clock), RenewalSchedule.defaults(new SecureRandom()), clock);
    traffic = factory.create(new ProxySettings(options.nodeName(), options.nodeIp(), options.outboundPort(),
        options.inboundPlaintextPort(), options.hbonePort(), options.capture(), options.trustDomain(),
        Duration.ofSeconds(5), Duration.ofHours(1), 10_000, Duration.ofSeconds(5)), identities, registry);
    source = options.staticMode()
        ? new StaticConfigSource(options.staticConfig().orElseThrow(), Duration.ofSeconds(2))
        : new XdsConfigSource(options.nodeName(), connection.target(), connection.channel(),
            CallOptions.DEFAULT.withCallCredentials(connection.token()),
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15)));
    endpoints.add(HttpEndpoint.start("metrics", options.metrics(), Map.of("/metrics",
        () -> new Response(200, Response.PROMETHEUS_TEXT, registry.scrape()))));
    endpoints.add(HttpEndpoint.start("readiness", options.readiness(), Map.of("/healthz/ready",
        () -> readiness().response())));
    endpoints.add(HttpEndpoint.start("admin", options.admin(), new AdminViews(new Facts()).routes()));
    identities.addListener(this::startTrafficWhenReady);
    log.info("node agent for {} ({}) starting: config from {}, admin {}, metrics {}, readiness {}, capture {}",
        options.nodeName(), options.nodeIp(), source.status().location(), endpoints.get(2).address(),
        endpoints.get(0).address(), endpoints.get(1).address(), options.capture() ? "on" : "off");
    source.start(this::apply);
    if (!options.staticMode()) {
      background.schedule(this::warnIfNotSynced, UNREACHABLE_WARNING.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private CertificateIssuer issuer() {
    if (options.staticMode()) {
      LocalCa ca = LocalCa.load(options.caDir().orElseThrow(), options.trustDomain(), clock);
      log.info("static mode: signing workload certificates locally with the CA in {}", options.caDir().get());
      return ca;
    }
    connection = ControlPlaneConnection.open(options.controlPlane().orElseThrow(), options.rootCert().orElseThrow(),
        options.tokenFile().orElseThrow());
    return id -> new CaClient(connection.channel(), connection.token().read(), clock).fetchWithBundle(id);
  }

  private void apply(ConfigState config) {
    MeshState next = MeshState.of(config);
    state = next;
    identities.update(next.workloads());
    synchronized (this) {
      if (trafficStarted && !closed) {
        traffic.update(next);
      }
    }
    log.info("config applied: {} workloads ({} on this node), {} services, {} policies", next.workloads().size(),
        next.localWorkloads(options.nodeName()).size(), next.services().size(), next.policies().size());
    startTrafficWhenReady();
  }

  private void startTrafficWhenReady() {
    synchronized (this) {
      if (trafficStarted || closed || !prerequisites().ready()) {
        return;
      }
      try {
        traffic.start();
        traffic.update(state);
        trafficStarted = true;
        trafficError = "";
      } catch (Exception e) {
        trafficError = "the traffic path did not start: " + e.getMessage();
        log.error("{}; the agent stays not ready", trafficError, e);
        return;
      }
    }
    log.info("node agent ready: config applied and certificates issued for {} identities; forwarding traffic",
        identities.certificates().size());
  }

  private Readiness prerequisites() {
    return Readiness.of(source != null && source.synced(), source == null ? "" : source.status().location(),
        identities.pending());
  }

  /** Returns whether the agent forwards traffic, and if not, why. */
  public Readiness readiness() {
    Readiness base = prerequisites();
    if (!base.ready() || trafficStarted) {
      return base;
    }
    return new Readiness(false, trafficError.isEmpty() ? "starting the traffic path" : trafficError);
  }

  private void warnIfNotSynced() {
    if (closed || source.synced()) {
      return;
    }
    ConnectivityState channelState = connection.state();
    log.warn("no config from the control plane at {} after {} s (channel {}): is it running and is `meshctl install`"
        + " done? check --root-cert and --token-file; still retrying", connection.target(),
        UNREACHABLE_WARNING.toSeconds(), channelState);
    background.schedule(this::warnIfNotSynced, UNREACHABLE_WARNING.toMillis() * 3, TimeUnit.MILLISECONDS);
  }

  /** Returns the certificates the agent holds. */
  public IdentityManager identities() {
    return identities;
  }

  /** Returns the config source. */
  public ConfigSource configSource() {
    return source;
  }

  /** Returns the current mesh state. */
  public MeshState state() {
    return state;
  }

  /** Returns the bound admin address. */
  public InetSocketAddress adminAddress() {
    return endpoints.get(2).address();
  }

  /** Returns the bound metrics address. */
  public InetSocketAddress metricsAddress() {
    return endpoints.get(0).address();
  }

  /** Returns the bound readiness address. */
  public InetSocketAddress readinessAddress() {
    return endpoints.get(1).address();
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitShutdown() {
    try {
      closedLatch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops config, drains the traffic path (removing capture rules), stops renewals and the endpoints. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (source != null) {
      source.close();
    }
    if (traffic != null) {
      try {
        traffic.close();
      } catch (RuntimeException e) {
        log.error("closing the traffic path failed; capture rules may be left behind: {}", e.getMessage(), e);
      }
    }
    endpoints.forEach(HttpEndpoint::close);
    if (identities != null) {
      identities.close();
    }
    background.shutdownNow();
    if (connection != null) {
      connection.close();
    }
    registry.close();
    closedLatch.countDown();
    log.info("node agent for {} stopped", options.nodeName());
  }

  /** Adapts the proxy to the agent's traffic path. */
  private static final class ProductionTrafficPath implements TrafficPath {
    private final Proxy proxy;

    private ProductionTrafficPath(Proxy proxy) {
      this.proxy = proxy;
    }

    static TrafficPath create(ProxySettings settings, WorkloadIdentities identities, MeterRegistry registry) {
      return new ProductionTrafficPath(new Proxy(settings, identities, registry));
    }

    @Override
    public void start() throws Exception {
      proxy.start();
    }

    @Override
    public void update(MeshState state) {
      proxy.update(state);
    }

    @Override
    public Object connections() {
      return proxy.connections();
    }

    @Override
    public void close() {
      proxy.close();
    }
  }

  /** Feeds the admin views from the running agent. */
  private final class Facts implements AdminViews.Facts {
    @Override
    public String nodeName() {
      return options.nodeName();
    }

    @Override
    public String trustDomain() {
      return options.trustDomain();
    }

    @Override
    public ConfigState config() {
      return source.current();
    }

    @Override
    public SourceStatus source() {
      return source.status();
    }

    @Override
    public List<CertificateStatus> certificates() {
      return identities.certificates();
    }

    @Override
    public List<X509Certificate> trustRoots() {
      return identities.trustBundle().map(b -> b.roots()).orElse(List.of());
    }

    @Override
    public Object connections() {
      return trafficStarted ? traffic.connections() : List.of();
    }
  }
}
