package dev.meshctl.waypoint.telemetry;

import dev.meshctl.waypoint.Destination;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one finished request: {@code istio_requests_total} and the {@code istio_request_duration_milliseconds}
 * histogram, labelled as Istio's waypoint does ({@code reporter="waypoint"}, source and destination workload,
 * namespace and principal, {@code destination_service}, {@code response_code}, {@code response_flags}), and one line
 * on the SLF4J logger {@code access}.
 */
public final class RequestTelemetry {

    /** Exposed as {@code istio_requests_total} (the Prometheus registry appends {@code _total}). */
    public static final String REQUESTS = "istio_requests";
    /** Exposed as {@code istio_request_duration_milliseconds_bucket|_count|_sum}. */
    public static final String DURATION = "istio_request_duration_milliseconds";

    private static final Logger access = LoggerFactory.getLogger("access");
    private static final double[] BUCKETS_MS = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
        60000, 300000, 600000, 1800000, 3600000};

    private final MeterRegistry registry;
    private final Peers peers;
    /** The meters of each label set seen: building Istio's 24 labels and looking them up costs more per request. */
    private final ConcurrentHashMap<MeterKey, Meters> meters = new ConcurrentHashMap<>();

    /** Everything the labels are made of (the same key always makes the same labels). */
    private record MeterKey(PeerLabels source, PeerLabels destination, String peerIdentity,
                            java.util.Optional<ProxyResponse.Peer> upstream, String service, String serviceName,
                            String serviceNamespace, String protocol, int status, String flags) {
    }

    private record Meters(Counter requests, DistributionSummary duration) {
    }

    /** Creates telemetry in {@code registry}; {@code peers} names the workloads at both ends of a request. */
    public RequestTelemetry(MeterRegistry registry, Peers peers) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    /** Names the workloads at both ends of a request. */
    public interface Peers {
        /** Returns the labels of {@code request}'s client, or {@link PeerLabels#NONE}. */
        PeerLabels source(ProxyRequest request);

        /** Returns the labels of the workload that answered, or {@link PeerLabels#NONE}. */
        PeerLabels destination(ProxyResponse.Peer upstream);
    }

    /** Records {@code request} answered by {@code response} after {@code nanos}. */
    public void record(ProxyRequest request, ProxyResponse response, long nanos, String protocol) {
        PeerLabels source = peers.source(request);
        PeerLabels destination = response.upstream().map(peers::destination).orElse(PeerLabels.NONE);
        Destination d = request.context().destination();
        MeterKey key = new MeterKey(source, destination, request.context().peerIdentity(), response.upstream(),
                d.hostname(), d.name(), d.namespace(), protocol, response.status(), response.flags());
        Meters m = meters.computeIfAbsent(key, k -> {
            Tags tags = tags(request, response, protocol, source, destination);
            return new Meters(Counter.builder(REQUESTS).description("Requests through the waypoint").tags(tags)
                    .register(registry), DistributionSummary.builder(DURATION)
                    .description("Request duration in milliseconds").serviceLevelObjectives(BUCKETS_MS).tags(tags)
                    .register(registry));
        });
        m.requests().increment();
        m.duration().record(nanos / 1_000_000.0);
        if (access.isInfoEnabled()) {
            access.info("{} {} {} {} {} flags={} src={} principal={} dst={} upstream={} duration={}ms bytes_in={} "
                            + "bytes_out={}", protocol, request.method(), request.authority(), request.uri(),
                    response.status(), response.flags(), request.context().client(), request.context().peerIdentity(),
                    d.hostname(), response.upstream().map(ProxyResponse.Peer::workload).orElse("-"),
                    TimeUnit.NANOSECONDS.toMillis(nanos), request.body().length, response.body().length);
        }
    }

    /** Returns Istio's label set for {@code request} answered by {@code response}. */
    static Tags tags(ProxyRequest request, ProxyResponse response, String protocol, PeerLabels source,
                     PeerLabels destination) {
        Destination d = request.context().destination();
        String sourceNs = request.context().peerNamespace().orElse(PeerLabels.UNKNOWN);
        String destWorkload = response.upstream().map(ProxyResponse.Peer::workload).orElse(PeerLabels.UNKNOWN);
        String destNs = response.upstream().map(ProxyResponse.Peer::namespace).orElse(d.namespace());
        String destPrincipal = response.upstream().map(ProxyResponse.Peer::principal).orElse(PeerLabels.UNKNOWN);
        return Tags.of(
                "reporter", "waypoint",
                "source_workload", source.workload(),
                "source_workload_namespace", sourceNs,
                "source_principal", request.context().peerIdentity(),
                "source_app", source.app(),
                "source_version", source.version(),
                "source_canonical_service", source.canonicalService(),
                "source_canonical_revision", source.canonicalRevision(),
                "source_cluster", source.cluster(),
                "destination_workload", destWorkload,
                "destination_workload_namespace", destNs,
                "destination_principal", destPrincipal,
                "destination_app", destination.app(),
                "destination_version", destination.version(),
                "destination_canonical_service", destination.canonicalService(),
                "destination_canonical_revision", destination.canonicalRevision(),
                "destination_cluster", destination.cluster(),
                "destination_service", d.hostname(),
                "destination_service_name", d.name(),
                "destination_service_namespace", d.namespace(),
                "request_protocol", protocol,
                "response_code", Integer.toString(response.status()),
                "response_flags", response.flags(),
                "connection_security_policy", "mutual_tls");
    }
}
