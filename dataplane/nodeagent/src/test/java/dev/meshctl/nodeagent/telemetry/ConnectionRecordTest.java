package dev.meshctl.nodeagent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionRecordTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<String> lines = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final Telemetry telemetry = new Telemetry(registry, lines::add, clock);

    private static ConnectionAttributes inbound(boolean mtls) {
        return new ConnectionAttributes(Direction.INBOUND, new InetSocketAddress("10.244.1.5", 40000),
                new InetSocketAddress("10.244.2.7", 8080),
                new Peer("curl", "default", "spiffe://cluster.local/ns/default/sa/curl"),
                new Peer("echo", "default", "spiffe://cluster.local/ns/default/sa/echo"),
                new ServiceRef("echo.default.svc.cluster.local", "echo", "default"), mtls);
    }

    @Test
    void writesOneLineAndClosedMetricsOnlyOnce() {
        ConnectionRecord record = telemetry.open(inbound(true));
        record.countBytes(() -> 120, () -> 42);
        clock.advance(Duration.ofMillis(250));
        assertThat(record.close()).isTrue();
        assertThat(record.close()).isFalse();
        assertThat(lines).containsExactly("src.addr=10.244.1.5:40000 src.workload=curl src.namespace=default"
                + " src.identity=spiffe://cluster.local/ns/default/sa/curl dst.addr=10.244.2.7:8080"
                + " dst.service=echo.default.svc.cluster.local dst.workload=echo dst.namespace=default"
                + " dst.identity=spiffe://cluster.local/ns/default/sa/echo direction=inbound bytes_sent=120"
                + " bytes_recv=42 duration=250ms");
        String scrape = registry.scrape();
        assertThat(scrape).contains("istio_tcp_connections_opened_total{", "istio_tcp_connections_closed_total{",
                "istio_tcp_sent_bytes_total{", "istio_tcp_received_bytes_total{");
        assertThat(value(scrape, "istio_tcp_connections_closed_total")).isEqualTo(1.0);
        assertThat(value(scrape, "istio_tcp_sent_bytes_total")).isEqualTo(120.0);
        assertThat(value(scrape, "istio_tcp_received_bytes_total")).isEqualTo(42.0);
        assertThat(scrape).contains("reporter=\"destination\"", "connection_security_policy=\"mutual_tls\"",
                "request_protocol=\"tcp\"", "response_flags=\"-\"");
    }

    @Test
    void firstFailureWinsAndIsLoggedAndLabelled() {
        ConnectionRecord record = telemetry.open(inbound(false));
        record.fail("DENY", "denied by default/allow-other");
        record.fail("UF", "later symptom");
        record.close();
        assertThat(lines).singleElement().asString().endsWith("error=\"denied by default/allow-other\"");
        assertThat(registry.scrape()).contains("response_flags=\"DENY\"", "connection_security_policy=\"none\"");
    }

    @Test
    void missingValuesAreUnknown() {
        ConnectionAttributes a = new ConnectionAttributes(Direction.OUTBOUND, new InetSocketAddress("10.0.0.1", 1),
                new InetSocketAddress("10.0.0.2", 2), Peer.NONE, new Peer(null, "", null), null, false);
        telemetry.open(a).close();
        assertThat(registry.scrape()).contains("reporter=\"source\"", "source_principal=\"unknown\"",
                "destination_workload=\"unknown\"", "destination_service=\"unknown\"",
                "destination_service_name=\"unknown\"", "destination_service_namespace=\"unknown\"");
        assertThat(lines.get(0)).contains("src.identity=unknown", "direction=outbound");
    }

    private static double value(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + "{")).mapToDouble(
                l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
