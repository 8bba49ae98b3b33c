package dev.meshctl.waypoint.filter;

import dev.meshctl.api.mesh.Fault;
import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Injects faults: delays a percentage of requests before passing them on, and aborts a percentage with a status
 * (after any delay), as Istio's fault injection does.
 */
public final class FaultFilter implements HttpService {

    private final Fault fault;
    private final ScheduledExecutorService scheduler;
    private final DoubleSupplier random;
    private final HttpService next;

    /** Wraps {@code next}; {@code random} yields values in {@code [0, 1)}. */
    public FaultFilter(Fault fault, ScheduledExecutorService scheduler, DoubleSupplier random, HttpService next) {
        this.fault = Objects.requireNonNull(fault, "fault");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public CompletableFuture<ProxyResponse> serve(ProxyRequest request) {
        if (fault.hasDelay() && hits(fault.getDelay().getPercentage())) {
            com.google.protobuf.Duration d = fault.getDelay().getFixedDelay();
            long nanos = Duration.ofSeconds(d.getSeconds(), d.getNanos()).toNanos();
            CompletableFuture<ProxyResponse> delayed = new CompletableFuture<>();
            scheduler.schedule(() -> afterDelay(request).whenComplete((r, e) -> {
                if (e != null) {
                    delayed.completeExceptionally(e);
                } else {
                    delayed.complete(r.flags().equals("-") ? r.withFlags("DI") : r);
                }
            }), nanos, TimeUnit.NANOSECONDS);
            return delayed;
        }
        return afterDelay(request);
    }

    private CompletableFuture<ProxyResponse> afterDelay(ProxyRequest request) {
        if (fault.hasAbort() && hits(fault.getAbort().getPercentage())) {
            int status = fault.getAbort().getHttpStatus();
            return CompletableFuture.completedFuture(ProxyResponse.local(status >= 200 && status <= 599 ? status : 503,
                    "fault filter abort", "FI"));
        }
        return next.serve(request);
    }

    private boolean hits(double percentage) {
        return percentage >= 100 || random.getAsDouble() * 100 < percentage;
    }
}
