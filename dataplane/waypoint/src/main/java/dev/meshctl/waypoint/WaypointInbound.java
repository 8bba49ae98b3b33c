package dev.meshctl.waypoint;

import dev.meshctl.core.hbone.ConnectRequest;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.core.hbone.InboundHandler;
import dev.meshctl.core.rbac.CidrBlock;
import dev.meshctl.waypoint.http.Protocol;
import dev.meshctl.waypoint.http.TunnelService;
import dev.meshctl.waypoint.telemetry.PeerLabels;
import dev.meshctl.waypoint.telemetry.RequestTelemetry;
import dev.meshctl.waypoint.upstream.Endpoint;
import dev.meshctl.waypoint.upstream.TcpForwarder;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Decides on each CONNECT to the waypoint: 400 unless the target is a service VIP:port or pod IP:port bound to this
 * waypoint, else serve the tunnel in process with the target's declared protocol.
 */
final class WaypointInbound implements InboundHandler {

    private final Supplier<MeshView> view;
    private final HttpService pipeline;
    private final RequestTelemetry telemetry;
    private final TcpForwarder tcp;

    WaypointInbound(Supplier<MeshView> view, HttpService pipeline, RequestTelemetry telemetry, TcpForwarder tcp) {
        this.view = view;
        this.pipeline = pipeline;
        this.telemetry = telemetry;
        this.tcp = tcp;
    }

    @Override
    public InboundDecision decide(ConnectRequest request) {
        MeshView mesh = view.get();
        Optional<Destination> destination = mesh.destination(request.target());
        if (destination.isEmpty()) {
            return InboundDecision.reject(400, "target " + request.target() + " is not a service or workload bound to "
                    + "this waypoint");
        }
        RequestContext context = new RequestContext(request.peerIdentity(), client(request), destination.get(),
                request.header("baggage").map(PeerLabels::parseBaggage).orElse(Map.of()));
        return InboundDecision.serve(new TunnelService(context, Protocol.declared(destination.get().port()), pipeline,
                telemetry, (ctx, channel) -> forwardTcp(ctx, channel)));
    }

    private void forwardTcp(RequestContext context, Channel channel) {
        MeshView mesh = view.get();
        Destination d = context.destination();
        List<Endpoint> endpoints = d.serviceKey().map(k -> mesh.endpoints(k, d.port().getServicePort()))
                .orElseGet(() -> mesh.workloadEndpoint(d).map(List::of).orElse(List.of()));
        Optional<Endpoint> chosen = endpoints.isEmpty() ? Optional.empty()
                : Optional.of(endpoints.get(ThreadLocalRandom.current().nextInt(endpoints.size())));
        tcp.forward(channel, chosen, context.client());
    }

    /**
     * Returns the original client: the {@code forwarded: for=} the sending node agent set (node agents are mesh
     * proxies with verified identities), else the peer's own address.
     */
    static InetSocketAddress client(ConnectRequest request) {
        return request.header("forwarded").flatMap(WaypointInbound::forwardedFor).orElse(request.peerAddress());
    }

    static Optional<InetSocketAddress> forwardedFor(String header) {
        Objects.requireNonNull(header, "header");
        for (String part : header.split("[;,]")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "for=", 0, 4)) {
                String v = p.substring(4).replace("\"", "");
                int colon = v.lastIndexOf(':');
                if (colon > 0) {
                    String host = v.substring(0, colon).replace("[", "").replace("]", "");
                    try {
                        return Optional.of(new InetSocketAddress(CidrBlock.parseIp(host),
                                Integer.parseInt(v.substring(colon + 1))));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty(); // not ip:port; fall back to the peer address
                    }
                }
            }
        }
        return Optional.empty();
    }
}
