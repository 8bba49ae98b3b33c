package dev.meshctl.nodeagent.inbound;

import dev.meshctl.core.hbone.ConnectRequest;
import dev.meshctl.core.hbone.HboneRelay;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.core.hbone.InboundHandler;
import dev.meshctl.nodeagent.proxy.ConnectionTracker;
import dev.meshctl.nodeagent.state.MeshState;
import dev.meshctl.nodeagent.telemetry.Baggage;
import dev.meshctl.nodeagent.telemetry.ConnectionAttributes;
import dev.meshctl.nodeagent.telemetry.ConnectionRecord;
import dev.meshctl.nodeagent.telemetry.Direction;
import dev.meshctl.nodeagent.telemetry.Peer;
import dev.meshctl.nodeagent.telemetry.ServiceRef;
import dev.meshctl.nodeagent.telemetry.Telemetry;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides inbound HBONE CONNECTs with {@link InboundPolicy} and records and tracks the accepted ones: the stream's
 * relay is registered for live policy, and its record closes when the relay ends. Until the agent has config,
 * every CONNECT is refused (no fail-open window).
 */
public final class HboneInboundHandler implements InboundHandler {

    private static final Logger log = LoggerFactory.getLogger(HboneInboundHandler.class);

    private record Pending(InboundPolicy.Verdict verdict, ConnectionRecord record, MeshState state) {
    }

    private final String node;
    private final Supplier<MeshState> state;
    private final boolean spoof;
    private final Telemetry telemetry;
    private final ConnectionTracker tracker;
    // Keyed by identity: the server hands back the very request object it asked about.
    private final Map<ConnectRequest, Pending> pending = Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * Creates a handler for node {@code node} reading the current state from {@code state} (null until the first
     * config); {@code spoof} makes upstream connections use the client's IP.
     */
    public HboneInboundHandler(String node, Supplier<MeshState> state, boolean spoof, Telemetry telemetry,
                               ConnectionTracker tracker) {
        this.node = Objects.requireNonNull(node, "node");
        this.state = Objects.requireNonNull(state, "state");
        this.spoof = spoof;
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    @Override
    public InboundDecision decide(ConnectRequest request) {
        MeshState current = state.get();
        if (current == null) {
            return InboundDecision.reject(503, "the node agent has no config yet; refusing until it has");
        }
        InboundPolicy.Verdict verdict = InboundPolicy.hbone(current, node, request, spoof);
        if (verdict.decision() instanceof InboundDecision.Reject reject) {
            log.info("refusing HBONE CONNECT {} from {} ({}) with {}: {}", request.target(), request.peerAddress(),
                    request.peerIdentity(), reject.status(), reject.reason());
            if (verdict.deniedByPolicy()) {
                ConnectionRecord record = telemetry.open(attributes(current, verdict, request));
                record.fail("DENY", reject.reason());
                record.close();
            }
            return verdict.decision();
        }
        pending.put(request, new Pending(verdict, telemetry.open(attributes(current, verdict, request)), current));
        return verdict.decision();
    }

    @Override
    public void relayed(ConnectRequest request, InboundDecision.Connect decision, HboneRelay relay) {
        Pending p = pending.remove(request);
        if (p == null) {
            log.error("BUG: relay for a CONNECT that was never accepted: {}", request);
            relay.reset();
            return;
        }
        // Sent = to the client (into the stream); received = from the client (out of the stream).
        p.record().countBytes(relay::bytesToStream, relay::bytesToTcp);
        ConnectionTracker.Authorized authorized = new ConnectionTracker.Authorized(p.verdict().peerIdentity(),
                p.verdict().client(), decision.upstream());
        ConnectionTracker.Handle handle = tracker.track(p.record(), Optional.of(authorized), relay::reset);
        relay.completion().thenRun(handle::finish);
        MeshState now = state.get();
        if (now != p.state() && now != null) {
            // Policy changed while the upstream connect ran: decide again rather than let it slip through.
            p.verdict().destination().ifPresent(d -> {
                var again = InboundPolicy.authorize(now, authorized.peerIdentity(), authorized.client(),
                        authorized.destination(), d);
                if (!again.allowed()) {
                    p.record().fail("DENY", again.reason());
                    relay.reset();
                }
            });
        }
    }

    @Override
    public void upstreamFailed(ConnectRequest request, InboundDecision.Connect decision, Throwable cause) {
        Pending p = pending.remove(request);
        if (p != null) {
            p.record().fail("UF", "upstream " + decision.upstream() + " failed: " + cause.getMessage());
            p.record().close();
        }
    }

    /**
     * Returns the source to report: who holds the tunnel, as the destination sees it in Istio's ambient mode (behind a
     * waypoint that is the waypoint; the original client is only the source address). The workload is the one whose
     * identity the peer proved, found by the client's or the peer's IP, else the one the peer's {@code baggage} names
     * in the identity's namespace, else only the identity.
     */
    static Peer source(MeshState state, InboundPolicy.Verdict verdict, ConnectRequest request) {
        String identity = request.peerIdentity();
        return verdict.source().filter(w -> MeshState.identityOf(w).equals(identity))
                .or(() -> state.workloadByIp(request.peerAddress().getAddress())
                        .filter(w -> MeshState.identityOf(w).equals(identity)))
                .map(Peer::of)
                .or(() -> request.header("baggage").flatMap(b -> Baggage.peer(b, identity)))
                .orElse(Peer.identityOnly(identity));
    }

    private static ConnectionAttributes attributes(MeshState state, InboundPolicy.Verdict verdict,
                                                   ConnectRequest request) {
        Peer source = source(state, verdict, request);
        Peer destination = verdict.destination().map(Peer::of).orElse(Peer.NONE);
        InetSocketAddress target = new InetSocketAddress(request.localAddress().getAddress(), request.target().getPort());
        // The :authority is unresolved text naming the pod (a VIP through future paths); never look a name up.
        InetAddress host = NetUtil.createInetAddressFromIpAddressString(request.target().getHostString());
        ServiceRef service = host == null ? ServiceRef.UNKNOWN : ServiceRef.of(InboundService.resolve(state, host,
                request.target().getPort(), verdict.destination()));
        return new ConnectionAttributes(Direction.INBOUND, verdict.client(), target, source, destination, service,
                true);
    }
}
