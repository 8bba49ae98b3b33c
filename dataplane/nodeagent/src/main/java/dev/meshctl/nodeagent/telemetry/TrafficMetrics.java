package dev.meshctl.nodeagent.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;

/**
 * Counts TCP connections and bytes under Istio's names. The Prometheus registry appends {@code _total} to counters,
 * so {@code istio_tcp_connections_opened} is exposed as {@code istio_tcp_connections_opened_total}.
 */
public final class TrafficMetrics {

    /** Exposed as {@code istio_tcp_connections_opened_total}. */
    public static final String OPENED = "istio_tcp_connections_opened";
    /** Exposed as {@code istio_tcp_connections_closed_total}. */
    public static final String CLOSED = "istio_tcp_connections_closed";
    /** Exposed as {@code istio_tcp_sent_bytes_total}: bytes sent to the client. */
    public static final String SENT = "istio_tcp_sent_bytes";
    /** Exposed as {@code istio_tcp_received_bytes_total}: bytes received from the client. */
    public static final String RECEIVED = "istio_tcp_received_bytes";
    /** The {@code response_flags} value of a connection that ended normally. */
    public static final String NO_FLAGS = "-";

    private final MeterRegistry registry;

    /** Creates metrics registered in {@code registry}. */
    public TrafficMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counts an opened connection. */
    public void opened(ConnectionAttributes attributes) {
        counter(OPENED, "Connections opened", attributes, NO_FLAGS).increment();
    }

    /** Counts a closed connection with its {@code responseFlags} and bytes. */
    public void closed(ConnectionAttributes attributes, String responseFlags, long sent, long received) {
        counter(CLOSED, "Connections closed", attributes, responseFlags).increment();
        counter(SENT, "Bytes sent to the client", attributes, responseFlags).increment(sent);
        counter(RECEIVED, "Bytes received from the client", attributes, responseFlags).increment(received);
    }

    private Counter counter(String name, String help, ConnectionAttributes a, String responseFlags) {
        return Counter.builder(name).description(help).tags(tags(a, responseFlags)).register(registry);
    }

    /** Returns the Istio label set of {@code a} with {@code responseFlags}. */
    static Tags tags(ConnectionAttributes a, String responseFlags) {
        WorkloadLabels src = a.source().labels();
        WorkloadLabels dst = a.destination().labels();
        return Tags.of(
                "reporter", a.direction().reporter(),
                "source_workload", a.source().workload(),
                "source_workload_namespace", a.source().namespace(),
                "source_principal", a.source().identity(),
                "source_app", src.app(),
                "source_version", src.version(),
                "source_canonical_service", src.canonicalService(),
                "source_canonical_revision", src.canonicalRevision(),
                "source_cluster", src.cluster(),
                "destination_workload", a.destination().workload(),
                "destination_workload_namespace", a.destination().namespace(),
                "destination_principal", a.destination().identity(),
                "destination_app", dst.app(),
                "destination_version", dst.version(),
                "destination_canonical_service", dst.canonicalService(),
                "destination_canonical_revision", dst.canonicalRevision(),
                "destination_cluster", dst.cluster(),
                "destination_service", a.destinationService().hostname(),
                "destination_service_name", a.destinationService().name(),
                "destination_service_namespace", a.destinationService().namespace(),
                "request_protocol", "tcp",
                "response_flags", responseFlags,
                "connection_security_policy", a.securityPolicy());
    }
}
