package dev.meshctl.waypoint.filter;

import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers 504 {@code upstream request timeout} when {@code next} has not answered within the timeout, and
 * cancels what {@code next} was doing (the upstream exchange resets its stream when its future is cancelled).
 */
public final class TimeoutFilter implements HttpService {

    /** The response flag of a timed-out request. */
    public static final String FLAG = "UT";

    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private final HttpService next;

    /** Wraps {@code next} with {@code timeout} (positive). */
    public TimeoutFilter(Duration timeout, ScheduledExecutorService scheduler, HttpService next) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public CompletableFuture<ProxyResponse> serve(ProxyRequest request) {
        CompletableFuture<ProxyResponse> inner = next.serve(request);
        CompletableFuture<ProxyResponse> out = new CompletableFuture<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (!out.isDone() && timedOut.compareAndSet(false, true)) {
                inner.cancel(false); // release the upstream before answering, so nothing outlives the answer
                out.complete(ProxyResponse.local(504, "upstream request timeout", FLAG));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        inner.whenComplete((r, e) -> {
            timer.cancel(false);
            if (timedOut.get()) {
                return; // the 504 answers this request
            }
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(r);
            }
        });
        // The caller gave up (an outer timeout): stop waiting and cancel the work too.
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                timer.cancel(false);
                inner.cancel(false);
            }
        });
        return out;
    }
}
