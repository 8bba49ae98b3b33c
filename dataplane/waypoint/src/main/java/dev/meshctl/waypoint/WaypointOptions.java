package dev.meshctl.waypoint;

import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.tls.CertificateSource;
import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.TlsIdentity;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything a {@link Waypoint} needs. Tests pass a static config and injected certificates; {@code main} builds
 * them from a control plane and a CA.
 *
 * @param namespace the waypoint's namespace
 * @param name the waypoint's name (the Gateway name)
 * @param identity the waypoint's SPIFFE id ({@code spiffe://<td>/ns/<ns>/sa/<sa>})
 * @param certificates supplies the waypoint's certificate (asked per connection, so rotation applies)
 * @param peerVerifiers verifies peers per served identity; empty means PKIX against the identity's roots
 * @param config the current config (e.g. {@code client::current} or a fixed state)
 * @param hboneAddress where to listen for HBONE (port 15008)
 * @param upstreamHbonePort the HBONE port of node agents (15008; tests use another)
 * @param metricsAddress where to serve {@code /metrics} (15020), if anywhere
 * @param readinessAddress where to serve {@code /healthz/ready} (15021), if anywhere
 * @param registry the Prometheus registry metrics are recorded in
 */
public record WaypointOptions(String namespace, String name, String identity, CertificateSource certificates,
                              Optional<Function<TlsIdentity, PeerVerifier>> peerVerifiers,
                              Supplier<ConfigState> config, InetSocketAddress hboneAddress, int upstreamHbonePort,
                              Optional<InetSocketAddress> metricsAddress, Optional<InetSocketAddress> readinessAddress,
                              PrometheusMeterRegistry registry) {

    /** The HBONE port. */
    public static final int HBONE_PORT = 15008;
    /** The Prometheus port. */
    public static final int METRICS_PORT = 15020;
    /** The readiness port. */
    public static final int READINESS_PORT = 15021;

    /** Checks that every part is present. */
    public WaypointOptions {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(peerVerifiers, "peerVerifiers");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hboneAddress, "hboneAddress");
        Objects.requireNonNull(metricsAddress, "metricsAddress");
        Objects.requireNonNull(readinessAddress, "readinessAddress");
        Objects.requireNonNull(registry, "registry");
        if (!identity.startsWith("spiffe://")) {
            throw new IllegalArgumentException("waypoint identity must be a spiffe:// id, got " + identity);
        }
    }

    /** Returns the config-client node id: {@code waypoint~<ns>/<name>}. */
    public String nodeId() {
        return "waypoint~" + namespace + "/" + name;
    }
}
