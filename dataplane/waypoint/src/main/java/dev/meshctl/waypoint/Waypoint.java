package dev.meshctl.waypoint;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.hbone.HboneClient;
import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneServer;
import dev.meshctl.core.hbone.Transport;
import dev.meshctl.core.tls.TlsIdentity;
import dev.meshctl.waypoint.telemetry.PeerLabels;
import dev.meshctl.waypoint.telemetry.RequestTelemetry;
import dev.meshctl.waypoint.upstream.OutlierDetector;
import dev.meshctl.waypoint.upstream.TcpForwarder;
import dev.meshctl.waypoint.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waypoint: terminates HBONE on 15008 with its own identity, serves the tunnels of the services bound to it
 * through the {@link RequestPipeline}, and sends requests on over HBONE with the same identity.
 *
 * <pre>{@code
 * try (Waypoint w = Waypoint.start(options)) {
 *     InetSocketAddress hbone = w.hboneAddress();
 * }
 * }</pre>
 */
public final class Waypoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Waypoint.class);

    private final WaypointOptions options;
    private final EventLoopGroup group;
    private final HboneClient client;
    private final HbonePool pool;
    private final UpstreamClient upstream;
    private final HboneServer server;
    private final InetSocketAddress hboneAddress;
    private final List<AdminEndpoint> admin = new ArrayList<>();
    private volatile CachedView cached;

    /** The view of one config, with its workloads by {@code namespace/owner} for telemetry. */
    private record CachedView(ConfigState state, MeshView view, Map<String, Workload> owners) {
    }

    private Waypoint(WaypointOptions options) throws IOException, InterruptedException {
        this.options = options;
        Transport transport = Transport.preferred();
        this.group = transport.newGroup(0, "waypoint");
        HboneClient.Builder cb = HboneClient.builder().eventLoopGroup(group, transport)
                .certificates(options.certificates());
        options.peerVerifiers().ifPresent(cb::peerVerifiers);
        this.client = cb.build();
        this.pool = new HbonePool(client);
        // Names itself on upstream CONNECTs, so a destination that cannot find it by IP still reports it.
        String baggage = PeerLabels.selfBaggage(options.namespace(), options.name());
        this.upstream = new UpstreamClient(pool, options.identity(), options.upstreamHbonePort(),
                dev.meshctl.waypoint.http.DownstreamLimits.MAX_BODY_BYTES, Optional.of(baggage));
        RequestPipeline pipeline = new RequestPipeline(this::view, group, upstream, OutlierDetector.defaults());
        RequestTelemetry telemetry = new RequestTelemetry(options.registry(), new RequestTelemetry.Peers() {
            @Override
            public PeerLabels source(ProxyRequest request) {
                return sourceLabels(request);
            }

            @Override
            public PeerLabels destination(ProxyResponse.Peer upstream) {
                return destinationLabels(upstream);
            }
        });
        WaypointInbound inbound = new WaypointInbound(this::view, pipeline, telemetry,
                new TcpForwarder(pool, options.identity(), options.upstreamHbonePort(), Optional.of(baggage)));
        HboneServer.Builder sb = HboneServer.builder().eventLoopGroup(group, transport)
                .identities(local -> options.certificates().identity(options.identity()))
                .handler(inbound);
        options.peerVerifiers().ifPresent(sb::peerVerifiers);
        this.server = sb.build();
        try {
            this.hboneAddress = server.bind(options.hboneAddress());
            if (options.metricsAddress().isPresent()) {
                admin.add(AdminEndpoint.start(options.metricsAddress().get(), "/metrics",
                        options.registry()::scrape));
            }
            if (options.readinessAddress().isPresent()) {
                admin.add(AdminEndpoint.start(options.readinessAddress().get(), "/healthz/ready",
                        () -> ready() ? "ready\n" : null));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("waypoint {}/{} serving HBONE on {} as {}", options.namespace(), options.name(), hboneAddress,
                options.identity());
    }

    /** Starts a waypoint; throws if a port cannot be bound. */
    public static Waypoint start(WaypointOptions options) throws IOException, InterruptedException {
        return new Waypoint(Objects.requireNonNull(options, "options"));
    }

    /** Returns the bound HBONE address. */
    public InetSocketAddress hboneAddress() {
        return hboneAddress;
    }

    /** Returns the bound admin addresses: metrics first (if served), then readiness (if served). */
    public List<InetSocketAddress> adminAddresses() {
        return admin.stream().map(AdminEndpoint::address).toList();
    }

    /** Returns whether the waypoint has its certificate and some config (never serves before both). */
    public boolean ready() {
        Optional<TlsIdentity> id = options.certificates().identity(options.identity());
        return id.isPresent() && options.config().get().size() > 0;
    }

    /** Returns the view of the current config, rebuilt only when the config changed. */
    MeshView view() {
        return cached().view();
    }

    private CachedView cached() {
        ConfigState state = options.config().get();
        CachedView c = cached;
        if (c == null || c.state() != state) {
            c = new CachedView(state, MeshView.of(state, options.identity()), owners(state));
            cached = c;
        }
        return c;
    }

    private static Map<String, Workload> owners(ConfigState state) {
        Map<String, Workload> out = new HashMap<>();
        for (Workload w : state.resources(Workload.class).values()) {
            out.putIfAbsent(w.getNamespace() + "/" + PeerLabels.of(w).workload(), w);
        }
        return out;
    }

    private PeerLabels sourceLabels(ProxyRequest request) {
        // The config names the client when it holds its workload; else the sending node agent's baggage does.
        RequestContext ctx = request.context();
        return view().workloadAt(ctx.client().getAddress()).map(PeerLabels::of)
                .or(() -> PeerLabels.fromBaggage(ctx.baggage(), ctx.peerNamespace()))
                .orElse(PeerLabels.NONE);
    }

    private PeerLabels destinationLabels(ProxyResponse.Peer upstream) {
        // The pods of one owner share their labels: any of them describes the one that answered.
        Workload w = cached().owners().get(upstream.namespace() + "/" + upstream.workload());
        return w == null ? new PeerLabels(upstream.workload(), null, null, null, null, null) : PeerLabels.of(w);
    }

    /** Stops listening, closes tunnels and pooled connections, then the event loops. */
    @Override
    public void close() {
        admin.forEach(AdminEndpoint::close);
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (client != null) {
            client.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
