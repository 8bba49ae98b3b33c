package dev.meshctl.nodeagent.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;

/** Opens {@link ConnectionRecord}s that share one set of metrics, one access log and one clock. */
public final class Telemetry {

    private final TrafficMetrics metrics;
    private final AccessLog accessLog;
    private final Clock clock;

    /** Creates telemetry counting in {@code registry}, logging to {@code accessLog}, timing with {@code clock}. */
    public Telemetry(MeterRegistry registry, AccessLog accessLog, Clock clock) {
        this.metrics = new TrafficMetrics(Objects.requireNonNull(registry, "registry"));
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts a new connection and returns its record; close the record exactly when the connection ends. */
    public ConnectionRecord open(ConnectionAttributes attributes) {
        return ConnectionRecord.open(metrics, accessLog, clock, attributes);
    }
}
