package dev.meshctl.nodeagent.inbound;

import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.nodeagent.proxy.ConnectionTracker;
import dev.meshctl.nodeagent.proxy.Dialer;
import dev.meshctl.nodeagent.proxy.Resets;
import dev.meshctl.nodeagent.proxy.TcpRelay;
import dev.meshctl.nodeagent.state.MeshState;
import dev.meshctl.nodeagent.telemetry.ConnectionAttributes;
import dev.meshctl.nodeagent.telemetry.ConnectionRecord;
import dev.meshctl.nodeagent.telemetry.Direction;
import dev.meshctl.nodeagent.telemetry.Peer;
import dev.meshctl.nodeagent.telemetry.ServiceRef;
import dev.meshctl.nodeagent.telemetry.Telemetry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out inbound plaintext connections (port 15006): a connection to a local enrolled pod that did not come
 * through HBONE. Policy sees no principal; a denied connection is reset, an allowed one relayed to the pod.
 */
public final class PlaintextInbound {

    private static final Logger log = LoggerFactory.getLogger(PlaintextInbound.class);

    private final String node;
    private final Supplier<MeshState> state;
    private final Dialer dialer;
    private final Telemetry telemetry;
    private final ConnectionTracker tracker;

    /** Creates the executor for node {@code node}; {@code state} gives null until the first config. */
    public PlaintextInbound(String node, Supplier<MeshState> state, Dialer dialer, Telemetry telemetry,
                            ConnectionTracker tracker) {
        this.node = Objects.requireNonNull(node, "node");
        this.state = Objects.requireNonNull(state, "state");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** Handles the accepted {@code downstream} from {@code client}, originally addressed to {@code destination}. */
    public void accept(Channel downstream, InetSocketAddress client, InetSocketAddress destination) {
        MeshState current = state.get();
        if (current == null) {
            log.info("resetting plaintext connection {} -> {}: no config yet", client, destination);
            Resets.reset(downstream);
            return;
        }
        InboundPolicy.Verdict verdict = InboundPolicy.plaintext(current, node, client, destination,
                dialer.transparent());
        ConnectionRecord record = telemetry.open(attributes(current, verdict, client, destination));
        if (verdict.decision() instanceof InboundDecision.Reject reject) {
            log.info("resetting plaintext connection {} -> {}: {}", client, destination, reject.reason());
            record.fail(verdict.deniedByPolicy() ? "DENY" : "NR", reject.reason());
            record.close();
            Resets.reset(downstream);
            return;
        }
        InboundDecision.Connect connect = (InboundDecision.Connect) verdict.decision();
        connect(downstream, connect, record, new ConnectionTracker.Authorized(Optional.empty(), client,
                connect.upstream()), dialer, tracker);
    }

    /**
     * Describes a plaintext inbound connection. A plaintext peer proved nothing: the workload found by its source IP
     * is only a best-effort label, so the source identity is {@code unknown} and the security policy {@code none}.
     */
    static ConnectionAttributes attributes(MeshState state, InboundPolicy.Verdict verdict, InetSocketAddress client,
                                           InetSocketAddress destination) {
        ServiceRef service = ServiceRef.of(InboundService.resolve(state, destination.getAddress(),
                destination.getPort(), verdict.destination()));
        return new ConnectionAttributes(Direction.INBOUND, client, destination,
                verdict.source().map(Peer::unverified).orElse(Peer.NONE),
                verdict.destination().map(Peer::of).orElse(Peer.NONE), service, false);
    }

    /**
     * Connects to the pod and relays; shared with the outbound same-node path. The record closes when the relay
     * ends or the connect fails ({@code UF}); the connection is tracked for live policy meanwhile.
     */
    public static void connect(Channel downstream, InboundDecision.Connect connect, ConnectionRecord record,
                               ConnectionTracker.Authorized authorized, Dialer dialer, ConnectionTracker tracker) {
        dialer.connect(downstream.eventLoop(), connect.upstream(), connect.spoofSource())
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        record.fail("UF", "connect to " + connect.upstream() + " failed: " + f.cause().getMessage());
                        record.close();
                        Resets.reset(downstream);
                        return;
                    }
                    if (!downstream.isActive()) {
                        f.channel().close();
                        record.close();
                        return;
                    }
                    TcpRelay relay = TcpRelay.splice(downstream, f.channel());
                    record.countBytes(relay::bytesFromUpstream, relay::bytesFromDownstream);
                    ConnectionTracker.Handle handle = tracker.track(record, Optional.of(authorized), relay::reset);
                    relay.completion().thenRun(handle::finish);
                });
    }
}
