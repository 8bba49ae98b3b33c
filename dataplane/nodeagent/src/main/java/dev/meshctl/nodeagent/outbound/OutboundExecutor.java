package dev.meshctl.nodeagent.outbound;

import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.hbone.HboneException;
import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneRelay;
import dev.meshctl.core.hbone.HboneRequest;
import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.core.rbac.Decision;
import dev.meshctl.nodeagent.inbound.InboundPolicy;
import dev.meshctl.nodeagent.inbound.PlaintextInbound;
import dev.meshctl.nodeagent.proxy.ConnectionTracker;
import dev.meshctl.nodeagent.proxy.Dialer;
import dev.meshctl.nodeagent.proxy.Resets;
import dev.meshctl.nodeagent.proxy.TcpRelay;
import dev.meshctl.nodeagent.state.MeshState;
import dev.meshctl.nodeagent.telemetry.Baggage;
import dev.meshctl.nodeagent.telemetry.ConnectionAttributes;
import dev.meshctl.nodeagent.telemetry.ConnectionRecord;
import dev.meshctl.nodeagent.telemetry.Direction;
import dev.meshctl.nodeagent.telemetry.Peer;
import dev.meshctl.nodeagent.telemetry.ServiceRef;
import dev.meshctl.nodeagent.telemetry.Telemetry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link OutboundRoute} of each captured outbound connection: HBONE with the source workload's
 * identity (bound to the client's IP), plain TCP, or a reset. A destination on this node is served in-process: the
 * inbound checks run here and the pod is dialled directly, never an HBONE tunnel to ourselves.
 */
public final class OutboundExecutor {

    private static final Logger log = LoggerFactory.getLogger(OutboundExecutor.class);

    /**
     * What the executor works with.
     *
     * @param node this node's name
     * @param router decides routes
     * @param state the current state, null until the first config
     * @param pool HBONE connections
     * @param dialer plain TCP connections
     * @param bindSource whether to bind upstream connections to the client's IP for {@code client}
     * @param dialAddresses maps an HBONE next hop to the address dialled
     * @param telemetry records connections
     * @param tracker tracks them
     */
    public record Context(String node, OutboundRouter router, Supplier<MeshState> state, HbonePool pool,
                          Dialer dialer, Predicate<InetSocketAddress> bindSource,
                          UnaryOperator<InetSocketAddress> dialAddresses, Telemetry telemetry,
                          ConnectionTracker tracker) {
        /** Checks every part. */
        public Context {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(dialer, "dialer");
            Objects.requireNonNull(bindSource, "bindSource");
            Objects.requireNonNull(dialAddresses, "dialAddresses");
            Objects.requireNonNull(telemetry, "telemetry");
            Objects.requireNonNull(tracker, "tracker");
        }
    }

    private final Context ctx;

    /** Creates an executor working with {@code ctx}. */
    public OutboundExecutor(Context ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    /** Handles the accepted {@code downstream} from {@code client}, originally addressed to {@code destination}. */
    public void accept(Channel downstream, InetSocketAddress client, InetSocketAddress destination) {
        MeshState state = ctx.state().get();
        if (state == null) {
            log.info("resetting outbound connection {} -> {}: no config yet", client, destination);
            Resets.reset(downstream);
            return;
        }
        OutboundRoute route = ctx.router().decide(client, destination, state, ctx.node());
        if (route instanceof OutboundRoute.Reject reject) {
            log.info("resetting outbound connection {} -> {}: {}", client, destination, reject.reason());
            Resets.reset(downstream);
        } else if (route instanceof OutboundRoute.Passthrough pass) {
            passthrough(downstream, client, destination, pass, state);
        } else if (route instanceof OutboundRoute.Hbone hbone) {
            if (!hbone.viaWaypoint() && hbone.destination().isPresent()
                    && hbone.destination().get().getNode().equals(ctx.node())) {
                sameNode(downstream, client, destination, hbone, state);
            } else {
                tunnel(downstream, client, destination, hbone, state);
            }
        } else {
            log.error("BUG: unknown outbound route {}", route);
            Resets.reset(downstream);
        }
    }

    private void passthrough(Channel downstream, InetSocketAddress client, InetSocketAddress destination,
                             OutboundRoute.Passthrough pass, MeshState state) {
        Peer to = state.workloadByIp(pass.target().getAddress()).map(Peer::of).orElse(Peer.NONE);
        ConnectionRecord record = ctx.telemetry().open(new ConnectionAttributes(Direction.OUTBOUND, client,
                destination, Peer.of(pass.source()), to, serviceName(state.serviceByVip(destination.getAddress())),
                false));
        Optional<InetAddress> bind = ctx.bindSource().test(client) ? Optional.of(client.getAddress())
                : Optional.empty();
        ctx.dialer().connect(downstream.eventLoop(), pass.target(), bind).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                record.fail("UF", "connect to " + pass.target() + " failed: " + f.cause().getMessage());
                record.close();
                Resets.reset(downstream);
                return;
            }
            TcpRelay relay = TcpRelay.splice(downstream, f.channel());
            record.countBytes(relay::bytesFromUpstream, relay::bytesFromDownstream);
            ConnectionTracker.Handle handle = ctx.tracker().track(record, Optional.empty(), relay::reset);
            relay.completion().thenRun(handle::finish);
        });
    }

    private void sameNode(Channel downstream, InetSocketAddress client, InetSocketAddress destination,
                          OutboundRoute.Hbone route, MeshState state) {
        Workload to = route.destination().orElseThrow();
        String sourceIdentity = MeshState.identityOf(route.source());
        InetSocketAddress pod = podAddress(route);
        ServiceRef service = serviceName(route.service());
        ConnectionRecord out = ctx.telemetry().open(new ConnectionAttributes(Direction.OUTBOUND, client, destination,
                Peer.of(route.source()), Peer.of(to), service, true));
        ConnectionRecord in = ctx.telemetry().open(new ConnectionAttributes(Direction.INBOUND, client, pod,
                Peer.of(route.source()), Peer.of(to), service, true));
        Decision decision = InboundPolicy.authorize(state, Optional.of(sourceIdentity), client, pod, to);
        if (!decision.allowed()) {
            log.info("resetting same-node connection {} -> {}: {}", client, pod, decision.reason());
            out.fail("DENY", decision.reason());
            in.fail("DENY", decision.reason());
            out.close();
            in.close();
            Resets.reset(downstream);
            return;
        }
        ConnectionTracker.Handle outbound = ctx.tracker().track(out, Optional.empty(), () -> Resets.reset(downstream));
        InboundDecision.Connect connect = new InboundDecision.Connect(pod, ctx.dialer().transparent()
                ? Optional.of(client.getAddress()) : Optional.empty());
        downstream.closeFuture().addListener(f -> outbound.finish());
        PlaintextInbound.connect(downstream, connect, in, new ConnectionTracker.Authorized(Optional.of(sourceIdentity),
                client, pod), ctx.dialer(), ctx.tracker());
        // The outbound record reads the same bytes as the inbound one: one relay carries both views.
        out.countBytes(in::bytesSent, in::bytesReceived);
    }

    private void tunnel(Channel downstream, InetSocketAddress client, InetSocketAddress destination,
                        OutboundRoute.Hbone route, MeshState state) {
        Peer to = destinationPeer(route, state);
        ConnectionRecord record = ctx.telemetry().open(new ConnectionAttributes(Direction.OUTBOUND, client,
                destination, Peer.of(route.source()), to, serviceName(route.service()), true));
        HboneRequest request = new HboneRequest(ctx.dialAddresses().apply(route.nextHop()), route.authority(),
                Set.copyOf(route.expectedIdentities()), MeshState.identityOf(route.source()), Optional.of(client),
                Optional.of(baggage(route.source())));
        if (ctx.bindSource().test(client)) {
            request = request.withSourceAddress(client.getAddress());
        }
        HboneRequest sent = request;
        ctx.pool().open(sent).whenComplete((stream, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                boolean denied = cause instanceof HboneException h && h.status() == 401;
                log.info("resetting outbound connection {} -> {} via {}: {}", client, destination, sent.destination(),
                        cause.getMessage());
                record.fail(denied ? "DENY" : "UF", cause.getMessage());
                record.close();
                Resets.reset(downstream);
                return;
            }
            splice(downstream, stream, record);
        });
    }

    private void splice(Channel downstream, HboneStream stream, ConnectionRecord record) {
        if (!downstream.isActive()) {
            stream.close();
            record.close();
            return;
        }
        stream.channel().pipeline().addFirst("reset-to-rst", new ResetPropagation(downstream));
        HboneRelay relay = stream.splice(downstream);
        record.countBytes(relay::bytesToTcp, relay::bytesToStream);
        ConnectionTracker.Handle handle = ctx.tracker().track(record, Optional.empty(), relay::reset);
        relay.completion().thenRun(handle::finish);
    }

    private static InetSocketAddress podAddress(OutboundRoute.Hbone route) {
        String authority = route.authority();
        int colon = authority.lastIndexOf(':');
        return new InetSocketAddress(route.nextHop().getAddress(), Integer.parseInt(authority.substring(colon + 1)));
    }

    /** Returns the {@code baggage} a destination reads the client's workload from. */
    static String baggage(Workload source) {
        return Baggage.of(source);
    }

    /**
     * Returns the destination peer a tunnel reports, as ztunnel does: the peer it authenticates. Through a waypoint
     * that is the waypoint (its workload when the waypoint's address names one holding an expected identity, else
     * the expected identity alone); directly, the destination workload, or its expected identity.
     */
    static Peer destinationPeer(OutboundRoute.Hbone route, MeshState state) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(state, "state");
        String expected = route.expectedIdentities().get(0);
        if (route.viaWaypoint()) {
            return state.workloadByIp(route.nextHop().getAddress())
                    .filter(w -> route.expectedIdentities().contains(MeshState.identityOf(w)))
                    .map(Peer::of).orElse(Peer.identityOnly(expected));
        }
        return route.destination().map(Peer::of).orElse(Peer.identityOnly(expected));
    }

    private static ServiceRef serviceName(Optional<Service> service) {
        return ServiceRef.of(service);
    }
}
