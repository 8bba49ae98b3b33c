package dev.meshctl.nodeagent.inbound;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.hbone.ConnectRequest;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.core.rbac.Authorizer;
import dev.meshctl.core.rbac.Connection;
import dev.meshctl.core.rbac.Decision;
import dev.meshctl.nodeagent.state.MeshState;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides inbound connections from mesh state alone: whether the target is the local pod the connection was made to,
 * who the client is (the TCP peer, or the {@code forwarded} client behind a waypoint), whether the peer's identity
 * fits its IP, and what L4 authorization says. No sockets.
 */
public final class InboundPolicy {

    /** The label carried by waypoint workloads; only they may name the client in {@code forwarded}. */
    public static final String WAYPOINT_LABEL = "gateway.networking.k8s.io/gateway-name";

    /**
     * The outcome for one inbound connection.
     *
     * @param decision reject (with status) or connect (to the pod, maybe spoofing the client)
     * @param destination the local workload connected to, if known
     * @param client the client address used for policy and telemetry
     * @param source the client workload, if known
     * @param peerIdentity the client's verified SPIFFE id; empty for plaintext
     * @param reason why, for logs
     */
    public record Verdict(InboundDecision decision, Optional<Workload> destination, InetSocketAddress client,
                          Optional<Workload> source, Optional<String> peerIdentity, String reason) {
        /** Checks every part. */
        public Verdict {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(peerIdentity, "peerIdentity");
            Objects.requireNonNull(reason, "reason");
        }

        /** Returns whether the connection goes ahead. */
        public boolean allowed() {
            return decision instanceof InboundDecision.Connect;
        }

        /** Returns whether policy (not a malformed request) refused it. */
        public boolean deniedByPolicy() {
            return decision instanceof InboundDecision.Reject r && r.status() == 401;
        }
    }

    private InboundPolicy() {
    }

    /**
     * Decides an HBONE CONNECT received on node {@code node}; {@code spoof} says whether the upstream connection
     * may use the client's IP as its source.
     */
    public static Verdict hbone(MeshState state, String node, ConnectRequest request, boolean spoof) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(request, "request");
        InetSocketAddress peer = request.peerAddress();
        InetAddress local = request.localAddress().getAddress();
        Optional<Workload> destination = state.workloadByIp(local).filter(w -> w.getNode().equals(node));
        Optional<Workload> peerWorkload = state.workloadByIp(peer.getAddress());
        Optional<String> identity = Optional.of(request.peerIdentity());
        if (destination.isEmpty()) {
            return reject(400, "no workload on node " + node + " has IP " + NetUtil.toAddressString(local),
                    destination, peer, peerWorkload, identity);
        }
        InetAddress targetIp = NetUtil.createInetAddressFromIpAddressString(request.target().getHostString());
        if (!local.equals(targetIp)) {
            return reject(400, "CONNECT target " + request.target().getHostString() + ":" + request.target().getPort()
                    + " is not the pod the connection was made to (" + NetUtil.toAddressString(local) + ")",
                    destination, peer, peerWorkload, identity);
        }
        InetSocketAddress client = peer;
        Optional<Workload> source = peerWorkload;
        if (peerWorkload.isPresent()) {
            String expected = MeshState.identityOf(peerWorkload.get());
            if (!expected.equals(request.peerIdentity())) {
                return reject(401, "peer " + NetUtil.toAddressString(peer.getAddress()) + " is workload "
                        + peerWorkload.get().getNamespace() + "/" + peerWorkload.get().getName() + " (" + expected
                        + ") but presented " + request.peerIdentity(), destination, peer, peerWorkload, identity);
            }
            if (peerWorkload.get().getLabelsMap().containsKey(WAYPOINT_LABEL)) {
                // Only a waypoint speaks for another client; from anyone else `forwarded` is ignored.
                Optional<InetSocketAddress> forwarded = request.header("forwarded").flatMap(InboundPolicy::forwardedFor);
                if (forwarded.isPresent()) {
                    client = forwarded.get();
                    source = state.workloadByIp(client.getAddress());
                }
            }
        }
        InetSocketAddress upstream = new InetSocketAddress(local, request.target().getPort());
        Decision decision = authorize(state, identity, client, upstream, destination.get());
        if (!decision.allowed()) {
            return reject(401, decision.reason(), destination, client, source, identity);
        }
        return new Verdict(new InboundDecision.Connect(upstream, spoof ? Optional.of(client.getAddress())
                : Optional.empty()), destination, client, source, identity, decision.reason());
    }

    /**
     * Decides a plaintext connection from {@code client} to {@code destination} captured on node {@code node}: policy
     * sees no principal, so a STRICT PeerAuthentication (converted to a DENY) refuses it.
     */
    public static Verdict plaintext(MeshState state, String node, InetSocketAddress client,
                                    InetSocketAddress destination, boolean spoof) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
        Optional<Workload> target = state.workloadByIp(destination.getAddress()).filter(w -> w.getNode().equals(node));
        Optional<Workload> source = state.workloadByIp(client.getAddress());
        if (target.isEmpty()) {
            return reject(400, "no workload on node " + node + " has IP "
                    + NetUtil.toAddressString(destination.getAddress()), target, client, source, Optional.empty());
        }
        Decision decision = authorize(state, Optional.empty(), client, destination, target.get());
        if (!decision.allowed()) {
            return reject(401, decision.reason(), target, client, source, Optional.empty());
        }
        return new Verdict(new InboundDecision.Connect(destination, spoof ? Optional.of(client.getAddress())
                : Optional.empty()), target, client, source, Optional.empty(), decision.reason());
    }

    /** Returns what L4 authorization says about {@code peer} at {@code client} connecting to {@code workload}. */
    public static Decision authorize(MeshState state, Optional<String> peer, InetSocketAddress client,
                                     InetSocketAddress destination, Workload workload) {
        Objects.requireNonNull(state, "state");
        Connection connection = Connection.of(peer, client.getAddress(), destination, workload.getNamespace(),
                workload.getLabelsMap());
        return Authorizer.evaluate(connection, state.policies());
    }

    /** Parses {@code for=} of a {@code forwarded} header ({@code for="10.0.0.1:4242"}); empty if absent or not an IP. */
    public static Optional<InetSocketAddress> forwardedFor(String header) {
        Objects.requireNonNull(header, "header");
        // Only the first element counts: it names the original client.
        String first = header.split(",", 2)[0];
        for (String pair : first.split(";")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || !kv[0].trim().equalsIgnoreCase("for")) {
                continue;
            }
            String value = kv[1].trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            String host = value;
            int port = 0;
            if (value.startsWith("[")) {
                int end = value.indexOf(']');
                if (end < 0) {
                    return Optional.empty();
                }
                host = value.substring(1, end);
                String rest = value.substring(end + 1);
                if (rest.startsWith(":")) {
                    port = parsePort(rest.substring(1));
                }
            } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
                host = value.substring(0, value.indexOf(':'));
                port = parsePort(value.substring(value.indexOf(':') + 1));
            }
            InetAddress ip = NetUtil.createInetAddressFromIpAddressString(host);
            if (ip == null || port < 0) {
                return Optional.empty();
            }
            return Optional.of(new InetSocketAddress(ip, port));
        }
        return Optional.empty();
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p >= 0 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Verdict reject(int status, String reason, Optional<Workload> destination, InetSocketAddress client,
                                  Optional<Workload> source, Optional<String> identity) {
        return new Verdict(InboundDecision.reject(status, reason), destination, client, source, identity, reason);
    }
}
