package dev.meshctl.nodeagent.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link Proxy}.
 *
 * @param nodeName the node this agent serves (workloads with this node are local)
 * @param nodeIp the node's IP; a destination there on an agent port is refused as a loop
 * @param outboundPort the outbound capture port on 127.0.0.1 (15001; 0 picks one, for tests)
 * @param inboundPlaintextPort the inbound plaintext capture port (15006)
 * @param hbonePort the inbound HBONE port (15008)
 * @param capture whether to program TPROXY rules and use transparent sockets; off binds plain loopback listeners
 * @param trustDomain the mesh's trust domain, e.g. {@code cluster.local}
 * @param connectTimeout how long a TCP or HBONE connect may take
 * @param idleTimeout how long a connection may pass no bytes before it is closed
 * @param maxConnections the most connections each listener holds at once; more are reset
 * @param drainTimeout how long {@link Proxy#close()} lets open connections finish
 */
public record ProxySettings(String nodeName, String nodeIp, int outboundPort, int inboundPlaintextPort, int hbonePort,
                            boolean capture, String trustDomain, Duration connectTimeout, Duration idleTimeout,
                            int maxConnections, Duration drainTimeout) {

    /** Checks every part. */
    public ProxySettings {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(nodeIp, "nodeIp");
        Objects.requireNonNull(trustDomain, "trustDomain");
        for (int port : new int[] {outboundPort, inboundPlaintextPort, hbonePort}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listener port " + port + " is not in 0..65535");
            }
        }
        positive(connectTimeout, "connectTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(drainTimeout, "drainTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (capture && (outboundPort == 0 || inboundPlaintextPort == 0 || hbonePort == 0)) {
            throw new IllegalArgumentException("capture needs fixed listener ports for its TPROXY rules");
        }
    }

    /** Returns the production settings: ports 15001/15006/15008, capture on, connect 5 s, idle 1 h, drain 5 s. */
    public static ProxySettings defaults(String nodeName, String nodeIp) {
        return new ProxySettings(nodeName, nodeIp, 15001, 15006, 15008, true, "cluster.local", Duration.ofSeconds(5),
                Duration.ofHours(1), 10_000, Duration.ofSeconds(5));
    }

    /** Returns settings for in-process use: no capture, ephemeral ports, otherwise the defaults. */
    public static ProxySettings inProcess(String nodeName, String nodeIp) {
        return new ProxySettings(nodeName, nodeIp, 0, 0, 0, false, "cluster.local", Duration.ofSeconds(5),
                Duration.ofHours(1), 10_000, Duration.ofSeconds(5));
    }

    /** Returns a copy with capture on or off. */
    public ProxySettings withCapture(boolean on) {
        return new ProxySettings(nodeName, nodeIp, outboundPort, inboundPlaintextPort, hbonePort, on, trustDomain,
                connectTimeout, idleTimeout, maxConnections, drainTimeout);
    }

    /** Returns a copy with these timeouts. */
    public ProxySettings withTimeouts(Duration connect, Duration idle, Duration drain) {
        return new ProxySettings(nodeName, nodeIp, outboundPort, inboundPlaintextPort, hbonePort, capture, trustDomain,
                connect, idle, maxConnections, drain);
    }

    /** Returns a copy holding at most {@code max} connections per listener. */
    public ProxySettings withMaxConnections(int max) {
        return new ProxySettings(nodeName, nodeIp, outboundPort, inboundPlaintextPort, hbonePort, capture, trustDomain,
                connectTimeout, idleTimeout, max, drainTimeout);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
