package dev.meshctl.waypoint.telemetry;

import dev.meshctl.waypoint.Destination;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
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
    private final SourceNames sources;

    /** Creates telemetry in {@code registry}; {@code sources} names the workload behind a peer identity. */
    public RequestTelemetry(MeterRegistry registry, SourceNames sources) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sources = Objects.requireNonNull(sources, "sources");
    }

    /** Names the source workload of a request, from the client address or the peer identity. */
    @FunctionalInterface
    public interface SourceNames {
        /** Returns the workload name for {@code request}'s client, or {@code unknown}. */
        String workload(ProxyRequest request);
    }

    /** Records {@code request} answered by {@code response} after {@code nanos}. */
    public void record(ProxyRequest request, ProxyResponse response, long nanos, String protocol) {
        Destination d = request.context().destination();
        String sourceNs = request.context().peerNamespace().orElse("unknown");
        String destWorkload = response.upstream().map(ProxyResponse.Peer::workload).orElse("unknown");
        String destNs = response.upstream().map(ProxyResponse.Peer::namespace).orElse(d.namespace());
        String destPrincipal = response.upstream().map(ProxyResponse.Peer::principal).orElse("unknown");
        Tags tags = Tags.of(
                "reporter", "waypoint",
                "source_workload", sources.workload(request),
                "source_workload_namespace", sourceNs,
                "source_principal", request.context().peerIdentity(),
                "destination_workload", destWorkload,
                "destination_workload_namespace", destNs,
                "destination_principal", destPrincipal,
                "destination_service", d.hostname(),
                "destination_service_name", d.name(),
                "destination_service_namespace", d.namespace(),
                "request_protocol", protocol,
                "response_code", Integer.toString(response.status()),
                "response_flags", response.flags(),
                "connection_security_policy", "mutual_tls");
        Counter.builder(REQUESTS).description("Requests through the waypoint").tags(tags).register(registry)
                .increment();
        double millis = nanos / 1_000_000.0;
        DistributionSummary.builder(DURATION).description("Request duration in milliseconds")
                .serviceLevelObjectives(BUCKETS_MS).tags(tags).register(registry).record(millis);
        if (access.isInfoEnabled()) {
            access.info("{} {} {} {} {} flags={} src={} principal={} dst={} upstream={} duration={}ms bytes_in={} "
                            + "bytes_out={}", protocol, request.method(), request.authority(), request.uri(),
                    response.status(), response.flags(), request.context().client(), request.context().peerIdentity(),
                    d.hostname(), response.upstream().map(ProxyResponse.Peer::workload).orElse("-"),
                    TimeUnit.NANOSECONDS.toMillis(nanos), request.body().length, response.body().length);
        }
    }
}
