package dev.meshctl.nodeagent;

import dev.meshctl.core.config.Backoff;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.RenewalSchedule;
import dev.meshctl.nodeagent.admin.AdminViews;
import dev.meshctl.nodeagent.admin.HttpEndpoint;
import dev.meshctl.nodeagent.admin.Readiness;
import dev.meshctl.nodeagent.admin.Response;
import dev.meshctl.nodeagent.capture.OwnerFile;
import dev.meshctl.nodeagent.capture.RuleOwner;
import dev.meshctl.nodeagent.capture.Succession;
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
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Rolling restart: a successor started with {@code --take-over} listens next to the running agent (SO_REUSEPORT)
 * and, once ready, records itself as the owner of the node's capture rules and sends the old agent SIGTERM. An agent
 * that stops while another live agent owns the rules hands off (stops accepting, drains for {@code --drain-timeout})
 * and leaves the rules in place; otherwise it drains briefly and removes them, as a plain stop always did.
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
  // A plain stop takes the node out of the mesh (the rules go with it): drain briefly, as before rolling restarts.
  private static final Duration STOP_DRAIN = Duration.ofSeconds(5);
  private static final Duration ENDPOINT_RETRY = Duration.ofMillis(100);

  /** The part of the agent that carries traffic; the proxy in production, a stand-in in tests. */
  public interface TrafficPath extends AutoCloseable {
    /** Binds listeners and installs capture; called once, when the agent first becomes ready. */
    void start() throws Exception;

    /** Applies a new mesh state; before {@link #start()} it only records the state to serve from the start. */
    void update(MeshState state);

    /** Returns the open connections for the admin view. */
    Object connections();

    /** Drains connections and removes capture rules. */
    @Override
    void close();

    /**
     * Steps back for a successor that owns the capture rules now: stops accepting, keeps established connections for
     * up to {@code drain}, leaves the rules in place. The default closes, for paths that program no rules.
     */
    default void handOff(Duration drain) {
      close();
    }
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
  private final List<HttpEndpoint> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile HttpEndpoint metricsEndpoint;
  private volatile HttpEndpoint readinessEndpoint;
  private volatile HttpEndpoint adminEndpoint;
  private final RuleOwner self = RuleOwner.self();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private ControlPlaneConnection connection;
  private IdentityManager identities;
  private TrafficPath traffic;
  private ConfigSource source;
  private volatile MeshState state = MeshState.empty();
  private volatile boolean trafficStarted;
  private volatile String trafficError = "";
  private volatile boolean handingOff;
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
        Scheduler.of(background, clock), renewalSchedule(options.lifecycle().workloadCertTtl()), clock);
    Duration drain = options.lifecycle().drainTimeout();
    traffic = factory.create(new ProxySettings(options.nodeName(), options.nodeIp(), options.outboundPort(),
        options.inboundPlaintextPort(), options.hbonePort(), options.capture(), options.trustDomain(),
        Duration.ofSeconds(5), Duration.ofHours(1), 10_000, drain.compareTo(STOP_DRAIN) < 0 ? drain : STOP_DRAIN),
        identities, registry);
    source = options.staticMode()
        ? new StaticConfigSource(options.staticConfig().orElseThrow(), Duration.ofSeconds(2))
        : new XdsConfigSource(options.nodeName(), connection.target(), connection.channel(),
            CallOptions.DEFAULT.withCallCredentials(connection.token()),
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15)));
    if (options.lifecycle().takeOver()) {
      // The running agent holds these ports until it hands off, which it does once this agent is ready.
      log.info("node agent for {} ({}) starting as the successor of the running agent: config from {}, capture {};"
          + " admin, metrics and readiness follow once it has handed off", options.nodeName(), options.nodeIp(),
          source.status().location(), options.capture() ? "on" : "off");
    } else {
      startEndpoints();
      log.info("node agent for {} ({}) starting: config from {}, admin {}, metrics {}, readiness {}, capture {}",
          options.nodeName(), options.nodeIp(), source.status().location(), adminEndpoint.address(),
          metricsEndpoint.address(), readinessEndpoint.address(), options.capture() ? "on" : "off");
    }
    identities.addListener(this::startTrafficWhenReady);
    source.start(this::apply);
    if (!options.staticMode()) {
      background.schedule(this::warnIfNotSynced, UNREACHABLE_WARNING.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Returns the renewal schedule: the defaults, with backoff and expiry margin shrunk to a quarter of a short
   * certificate lifetime so that retries still fit inside it.
   */
  static RenewalSchedule renewalSchedule(Optional<Duration> ttl) {
    Duration quarter = ttl.map(t -> t.dividedBy(4)).orElse(Duration.ofHours(6));
    Duration margin = quarter.compareTo(Duration.ofMinutes(1)) < 0 ? quarter : Duration.ofMinutes(1);
    Duration maxBackoff = quarter.compareTo(Duration.ofSeconds(60)) < 0 ? quarter : Duration.ofSeconds(60);
    return new RenewalSchedule(Duration.ofSeconds(1), maxBackoff, margin, new SecureRandom());
  }

  private void startEndpoints() throws IOException {
    if (metricsEndpoint == null) {
      metricsEndpoint = HttpEndpoint.start("metrics", options.metrics(), Map.of("/metrics",
          () -> new Response(200, Response.PROMETHEUS_TEXT, registry.scrape())));
      endpoints.add(metricsEndpoint);
    }
    if (readinessEndpoint == null) {
      readinessEndpoint = HttpEndpoint.start("readiness", options.readiness(), Map.of("/healthz/ready",
          () -> readiness().response()));
      endpoints.add(readinessEndpoint);
    }
    if (adminEndpoint == null) {
      adminEndpoint = HttpEndpoint.start("admin", options.admin(), new AdminViews(new Facts()).routes());
      endpoints.add(adminEndpoint);
    }
  }

  /** Binds the endpoints once the predecessor has let go of them; retries on the background thread until then. */
  private void startEndpointsWhenFree(long since) {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        startEndpoints();
        log.info("admin {}, metrics {}, readiness {} taken over from the previous agent", adminEndpoint.address(),
            metricsEndpoint.address(), readinessEndpoint.address());
        return;
      } catch (IOException e) {
        if (System.nanoTime() - since > UNREACHABLE_WARNING.toNanos()) {
          log.warn("still waiting for the previous agent to free its endpoints: {}", e.getMessage());
          since = System.nanoTime();
        }
      }
    }
    long from = since;
    try {
      background.schedule(() -> startEndpointsWhenFree(from), ENDPOINT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile: nothing left to bind
    }
  }

  /**
   * Records this agent as the owner of the node's capture rules and asks the previous owner, if one still runs, to
   * hand off. Called once the traffic path runs, so the rules are never without a ready owner.
   */
  private void takeOwnership() {
    Optional<Path> dir = options.lifecycle().runtimeDir();
    if (dir.isEmpty()) {
      return;
    }
    OwnerFile owners = new OwnerFile(dir.get());
    Optional<RuleOwner> predecessor = Succession.predecessor(owners.read(), self, RuleOwner::alive);
    owners.write(self);
    predecessor.ifPresent(p -> {
      log.info("ready: took over the capture rules from the agent with {}; asking it to hand off", p);
      p.terminate();
    });
    if (options.lifecycle().takeOver()) {
      background.execute(() -> startEndpointsWhenFree(System.nanoTime()));
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
    Duration validity = options.lifecycle().workloadCertTtl().orElse(Duration.ZERO);
    if (!validity.isZero()) {
      log.info("asking the CA for workload certificates valid for {}; they renew at half-life",
          NodeAgentOptions.format(validity));
    }
    return id -> new CaClient(connection.channel(), connection.token().read(), clock).withValidity(validity)
        .fetchWithBundle(id);
  }

  private void apply(ConfigState config) {
    MeshState next = MeshState.of(config);
    state = next;
    identities.update(next.workloads());
    synchronized (this) {
      if (trafficStarted && (!closed || handingOff)) {
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
        traffic.update(state); // first, so a listener sharing its port with a predecessor never lacks config
        traffic.start();
        traffic.update(state);
        trafficStarted = true;
        trafficError = "";
        takeOwnership();
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

  /** Returns the bound admin address; a successor has none until its predecessor handed off. */
  public InetSocketAddress adminAddress() {
    return bound(adminEndpoint, "admin");
  }

  /** Returns the bound metrics address; a successor has none until its predecessor handed off. */
  public InetSocketAddress metricsAddress() {
    return bound(metricsEndpoint, "metrics");
  }

  /** Returns the bound readiness address; a successor has none until its predecessor handed off. */
  public InetSocketAddress readinessAddress() {
    return bound(readinessEndpoint, "readiness");
  }

  private static InetSocketAddress bound(HttpEndpoint endpoint, String name) {
    if (endpoint == null) {
      throw new IllegalStateException("the " + name + " endpoint is not bound yet: the previous agent still holds it");
    }
    return endpoint.address();
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitShutdown() {
    try {
      closedLatch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the agent. If another live agent owns the capture rules (a successor took over), hands off: frees the
   * endpoints for it, stops accepting and drains for the drain timeout, leaving the rules. Otherwise drains briefly
   * and removes the rules. Then stops config, renewals and the endpoints.
   */
  @Override
  public void close() {
    Succession.OnStop onStop = options.lifecycle().runtimeDir()
        .map(dir -> Succession.onStop(new OwnerFile(dir).read(), self, RuleOwner::alive))
        .orElse(Succession.OnStop.REMOVE_RULES);
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      handingOff = onStop == Succession.OnStop.HAND_OFF && trafficStarted;
    }
    // First, so a successor can bind them while this agent drains.
    endpoints.forEach(HttpEndpoint::close);
    if (traffic != null) {
      try {
        if (onStop == Succession.OnStop.HAND_OFF) {
          log.info("stopping: another agent owns the capture rules now; handing off (drain up to {})",
              NodeAgentOptions.format(options.lifecycle().drainTimeout()));
          traffic.handOff(options.lifecycle().drainTimeout());
        } else {
          log.info("stopping: draining connections and removing capture rules");
          traffic.close();
        }
      } catch (RuntimeException e) {
        log.error("closing the traffic path failed; capture rules may be left behind: {}", e.getMessage(), e);
      }
    }
    handingOff = false;
    if (onStop == Succession.OnStop.REMOVE_RULES) {
      options.lifecycle().runtimeDir().ifPresent(dir -> new OwnerFile(dir).clear(self));
    }
    if (source != null) {
      source.close();
    }
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

    @Override
    public void handOff(Duration drain) {
      proxy.handOff(drain);
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
