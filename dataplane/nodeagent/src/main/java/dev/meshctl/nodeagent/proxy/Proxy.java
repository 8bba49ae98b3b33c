package dev.meshctl.nodeagent.proxy;

import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.hbone.HboneClient;
import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneServer;
import dev.meshctl.core.hbone.Transport;
import dev.meshctl.core.tls.TlsIdentity;
import dev.meshctl.nodeagent.capture.CaptureException;
import dev.meshctl.nodeagent.capture.CaptureInstaller;
import dev.meshctl.nodeagent.capture.CaptureRules;
import dev.meshctl.nodeagent.identity.WorkloadIdentities;
import dev.meshctl.nodeagent.inbound.HboneInboundHandler;
import dev.meshctl.nodeagent.inbound.PlaintextInbound;
import dev.meshctl.nodeagent.outbound.LoadBalancer;
import dev.meshctl.nodeagent.outbound.OutboundExecutor;
import dev.meshctl.nodeagent.outbound.OutboundRouter;
import dev.meshctl.nodeagent.state.MeshState;
import dev.meshctl.nodeagent.telemetry.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's traffic path: the outbound (15001), inbound plaintext (15006) and HBONE (15008) listeners, the
 * capture rules that feed them, live policy and telemetry.
 *
 * <pre>{@code
 * Proxy proxy = new Proxy(ProxySettings.defaults("node-1", "172.18.0.11"), identities, prometheusRegistry);
 * proxy.start();              // listens; resets everything until the first update
 * proxy.update(meshState);    // capture rules for enrolled pods, policy re-check of open connections
 * proxy.close();              // stop accepting, drain, remove rules
 * }</pre>
 *
 * <p>Every listener binds with {@code SO_REUSEPORT}, so a successor agent can listen next to this one during a
 * rolling restart; {@link #handOff} then steps back without removing the capture rules the successor now owns.
 */
public final class Proxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Proxy.class);
    /** System property overriding the event-loop thread count. */
    public static final String THREADS_PROPERTY = "meshctl.nodeagent.eventLoopThreads";

    private final ProxySettings settings;
    private final WorkloadIdentities identities;
    private final ProxyHooks hooks;
    private final Transport transport;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final Telemetry telemetry;
    private final Optional<CaptureInstaller> capture;
    private final InetAddress nodeIp;
    private final List<Channel> listeners = new ArrayList<>();
    private volatile MeshState state;
    private SharedListeners shared;
    private EventLoopGroup group;
    private HboneClient client;
    private HbonePool pool;
    private HboneServer hbone;
    private InetSocketAddress outboundAddress;
    private InetSocketAddress plaintextAddress;
    private InetSocketAddress hboneAddress;
    private volatile boolean started;
    private boolean closed;
    private volatile boolean handedOff;

    /** Creates the traffic path on the real host (TPROXY, real commands, the {@code access} logger). */
    public Proxy(ProxySettings settings, WorkloadIdentities identities, MeterRegistry registry) {
        this(settings, identities, registry, ProxyHooks.host());
    }

    /** Creates the traffic path with {@code hooks} standing in for the host (see {@link ProxyHooks}). */
    public Proxy(ProxySettings settings, WorkloadIdentities identities, MeterRegistry registry, ProxyHooks hooks) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.telemetry = new Telemetry(Objects.requireNonNull(registry, "registry"), hooks.accessLog(), hooks.clock());
        this.transport = Transport.preferred();
        this.nodeIp = NetUtil.createInetAddressFromIpAddressString(settings.nodeIp());
        if (nodeIp == null) {
            throw new IllegalArgumentException("node IP '" + settings.nodeIp() + "' is not an IP address");
        }
        if (settings.capture() && transport != Transport.EPOLL) {
            throw new IllegalStateException("capture needs the native epoll transport for IP_TRANSPARENT, which did "
                    + "not load; check that netty-transport-native-epoll matches this OS and CPU, or turn capture off");
        }
        this.capture = settings.capture()
                ? Optional.of(new CaptureInstaller(hooks.commands(), new CaptureRules.Ports(settings.outboundPort(),
                        settings.inboundPlaintextPort(), settings.hbonePort())))
                : Optional.empty();
    }

    /**
     * Binds the listeners. Until the first {@link #update}, every connection is reset (no fail-open window); a state
     * given to {@link #update} before this call is served from the first connection on.
     */
    public synchronized void start() throws IOException, InterruptedException {
        if (started) {
            throw new IllegalStateException("proxy already started");
        }
        started = true;
        boolean transparent = settings.capture();
        shared = new SharedListeners(transport.newGroup(eventLoopThreads(), "nodeagent"), transport == Transport.EPOLL);
        group = shared.group();
        Dialer dialer = new Dialer(transport, settings.connectTimeout(), transparent, hooks.dialAddresses());
        client = HboneClient.builder().certificates(identities).peerVerifiers(id -> identities.peerVerifier())
                .eventLoopGroup(group, transport).connectTimeout(settings.connectTimeout()).transparent(transparent)
                .build();
        pool = new HbonePool(client);
        OutboundRouter router = new OutboundRouter(LoadBalancer.perService(new SplittableRandom()), List.of(nodeIp));
        OutboundExecutor outbound = new OutboundExecutor(new OutboundExecutor.Context(settings.nodeName(), router,
                () -> state, pool, dialer, this::bindsSource, hooks.dialAddresses(), telemetry, tracker));
        PlaintextInbound plaintext = new PlaintextInbound(settings.nodeName(), () -> state, dialer, telemetry, tracker);
        HboneInboundHandler inbound = new HboneInboundHandler(settings.nodeName(), () -> state, transparent,
                telemetry, tracker);
        hbone = HboneServer.builder().eventLoopGroup(group, transport).transparent(transparent)
                .identities(this::serverIdentity).peerVerifiers(id -> identities.peerVerifier()).handler(inbound)
                .connectTimeout(settings.connectTimeout()).build();
        try {
            outboundAddress = listen("outbound", new InetSocketAddress(NetUtil.LOCALHOST4, settings.outboundPort()),
                    (ch, local) -> {
                        InetSocketAddress source = (InetSocketAddress) ch.remoteAddress();
                        InetSocketAddress destination = hooks.originalDestinations().of(source, local);
                        if (!refuseLoop("outbound", ch, source, destination)) {
                            outbound.accept(ch, source, destination);
                        }
                    });
            // Wildcard binds: under TPROXY the local address is the pod's; in-process, a pod's loopback alias.
            plaintextAddress = listen("inbound plaintext", new InetSocketAddress(settings.inboundPlaintextPort()),
                    (ch, local) -> {
                        InetSocketAddress source = (InetSocketAddress) ch.remoteAddress();
                        InetSocketAddress destination = hooks.originalDestinations().of(source, local);
                        if (!refuseLoop("inbound plaintext", ch, source, destination)) {
                            plaintext.accept(ch, source, destination);
                        }
                    });
            hboneAddress = hbone.bind(new InetSocketAddress(settings.hbonePort()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("node agent traffic path on {}: outbound {}, inbound plaintext {}, HBONE {}, capture {}",
                settings.nodeName(), outboundAddress, plaintextAddress, hboneAddress, settings.capture() ? "on" : "off");
    }

    /**
     * Applies {@code state}: captures exactly the enrolled pods of this node and closes open connections that
     * policy now denies. The first call opens the traffic path.
     */
    public void update(MeshState state) {
        Objects.requireNonNull(state, "state");
        if (!started) {
            // Before the listeners bind: remember the state so that a successor's first connection, which may
            // arrive the moment its listener shares the port, is served instead of reset for lack of config.
            this.state = state;
            return;
        }
        if (capture.isPresent() && !handedOff) {
            try {
                capture.get().apply(enrolledPodIps(state, settings.nodeName()));
            } catch (CaptureException e) {
                // Keep serving what is captured; the next update retries.
                log.error("cannot update capture rules: {}", e.getMessage());
            }
        }
        this.state = state;
        int reset = tracker.reauthorize(state);
        if (reset > 0) {
            log.info("policy change closed {} open connection(s)", reset);
        }
    }

    /** Returns the open connections, oldest first. */
    public List<ConnectionInfo> connections() {
        return tracker.connections();
    }

    /** Returns the bound outbound listener address. */
    public InetSocketAddress outboundAddress() {
        return outboundAddress;
    }

    /** Returns the bound inbound plaintext listener address. */
    public InetSocketAddress plaintextAddress() {
        return plaintextAddress;
    }

    /** Returns the bound HBONE listener address. */
    public InetSocketAddress hboneAddress() {
        return hboneAddress;
    }

    /** Returns how many listeners are open (all three until a hand-off or close). */
    int openListeners() {
        return shared == null ? 0 : shared.listeners();
    }

    /** Returns the HBONE connection pool (for tests and diagnostics). */
    HbonePool pool() {
        return pool;
    }

    /**
     * Stops accepting, lets open connections finish up to the drain timeout, resets the rest, closes HBONE
     * (GOAWAY) and removes the capture rules.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAccepting();
        drain(settings.drainTimeout());
        shutDown();
        capture.ifPresent(CaptureInstaller::close);
    }

    /**
     * Steps back for a successor agent that listens on the same ports and owns the capture rules from now on: closes
     * the listeners (new connections reach the successor only), sends a graceful GOAWAY on inbound HBONE connections
     * (peers open new tunnels for new streams; streams in flight finish), keeps every established connection until
     * it ends or {@code drain} passes, then resets what is left. The capture rules stay in place.
     *
     * @return what the drain saw
     */
    public synchronized DrainReport handOff(Duration drain) {
        Objects.requireNonNull(drain, "drain");
        if (closed) {
            return new DrainReport(0, 0, 0, Duration.ZERO);
        }
        closed = true;
        handedOff = true;
        capture.ifPresent(CaptureInstaller::release);
        long started = System.nanoTime();
        int open = tracker.size();
        stopAccepting();
        int told = shared == null ? 0 : shared.goAwayHbone();
        int reset = drain(drain);
        shutDown();
        DrainReport report = new DrainReport(open, told, reset, Duration.ofNanos(System.nanoTime() - started));
        log.info("handed off to the successor agent: {}", report);
        return report;
    }

    /** Returns whether this proxy handed its traffic to a successor. */
    public boolean handedOff() {
        return handedOff;
    }

    private void stopAccepting() {
        listeners.forEach(ch -> ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
        if (shared != null) {
            shared.closeListeners(); // the HBONE listener, which the HBONE server bound
        }
    }

    /** Waits until no connection is open or {@code timeout} passed; resets and returns what is left then. */
    private int drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tracker.size() > 0 && System.nanoTime() < deadline) {
            if (handedOff) {
                shared.closeIdleHbone(); // a peer that ignored the GOAWAY moves on once its tunnel is gone
            }
            try {
                Thread.sleep(50); // drain: a bounded poll, not a wait for a fixed time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = tracker.size();
        if (left > 0) {
            log.info("drain deadline ({}) passed with {} connection(s) open; resetting them", timeout, left);
            tracker.resetAll();
        }
        return left;
    }

    private void shutDown() {
        if (hbone != null) {
            hbone.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (shared != null) {
            shared.delegate().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Returns the event-loop thread count: {@value #THREADS_PROPERTY} if set, else one per available core. Netty's
     * default (two per core) only adds context switches on the small nodes an agent shares with pods, and every
     * extra loop makes it likelier that a client connection and its HBONE connection sit on different threads.
     */
    static int eventLoopThreads() {
        int threads = Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
        return Math.max(1, threads);
    }

    /** Returns the IPs of this node's workloads enrolled in the mesh (tunnel protocol HBONE). */
    static List<String> enrolledPodIps(MeshState state, String node) {
        List<String> ips = new ArrayList<>();
        for (Workload w : state.localWorkloads(node)) {
            if (w.getTunnelProtocol() != TunnelProtocol.HBONE) {
                continue;
            }
            for (String address : w.getAddressesList()) {
                if (NetUtil.isValidIpV4Address(address)) {
                    ips.add(address);
                }
            }
        }
        return ips;
    }

    private InetSocketAddress listen(String name, InetSocketAddress address,
                                     BiConsumer<SocketChannel, InetSocketAddress> onAccept)
            throws IOException, InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new AcceptInitializer(name, settings.maxConnections(), settings.idleTimeout(), onAccept));
        if (settings.capture()) {
            b.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        ChannelFuture bound = b.bind(address).await();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen for " + name + " connections on " + address + ": "
                    + bound.cause().getMessage() + (settings.capture() ? " (IP_TRANSPARENT needs CAP_NET_ADMIN)" : "")
                    + "; is another node agent running in this namespace without SO_REUSEPORT?", bound.cause());
        }
        listeners.add(bound.channel());
        return (InetSocketAddress) bound.channel().localAddress();
    }

    /** Resets a connection whose original destination is one of this agent's listeners: it would loop. */
    private boolean refuseLoop(String listener, Channel ch, InetSocketAddress source, InetSocketAddress destination) {
        InetAddress ip = destination.getAddress();
        boolean ours = ip != null && (ip.isLoopbackAddress() || ip.isAnyLocalAddress() || ip.equals(nodeIp))
                && (destination.getPort() == outboundAddress.getPort()
                || (plaintextAddress != null && destination.getPort() == plaintextAddress.getPort())
                || (hboneAddress != null && destination.getPort() == hboneAddress.getPort()));
        if (ours) {
            log.warn("resetting {} connection {} -> {}: that is the node agent's own listener (a loop)", listener,
                    source, destination);
            Resets.reset(ch);
        }
        return ours;
    }

    /** Binds an upstream connection to the client's IP: always under capture, and for loopback clients in-process. */
    private boolean bindsSource(InetSocketAddress client) {
        return settings.capture() || (client.getAddress() != null && client.getAddress().isLoopbackAddress());
    }

    private Optional<TlsIdentity> serverIdentity(InetSocketAddress local) {
        MeshState current = state;
        if (current == null || local.getAddress() == null) {
            return Optional.empty();
        }
        return current.workloadByIp(local.getAddress())
                .filter(w -> w.getNode().equals(settings.nodeName()))
                .flatMap(w -> identities.identity(MeshState.identityOf(w)));
    }
}
