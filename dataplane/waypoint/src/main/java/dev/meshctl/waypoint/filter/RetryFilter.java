package dev.meshctl.waypoint.filter;

import dev.meshctl.api.mesh.Retry;
import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Retries a request up to {@code attempts} more times when an attempt answers a retriable status (the listed codes,
 * or any 5xx when none are listed) or failed to connect, was reset or timed out (flags {@code UF}, {@code UR},
 * {@code UT}); each attempt may have its own timeout. Waits {@code backoff} (25 ms by default) doubled per retry,
 * capped at ten times the base. The last attempt's answer is returned as it is.
 */
public final class RetryFilter implements HttpService {

    private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(25);
    private static final Set<String> FAILURE_FLAGS = Set.of("UF", "UR", "UT");

    private final Retry retry;
    private final Optional<Duration> perTryTimeout;
    private final ScheduledExecutorService scheduler;
    private final HttpService next;

    /** Wraps {@code next}; {@code perTryTimeout} bounds each attempt when present. */
    public RetryFilter(Retry retry, Optional<Duration> perTryTimeout, ScheduledExecutorService scheduler,
                       HttpService next) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.perTryTimeout = Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public CompletableFuture<ProxyResponse> serve(ProxyRequest request) {
        CompletableFuture<ProxyResponse> out = new CompletableFuture<>();
        AtomicReference<CompletableFuture<ProxyResponse>> current = new AtomicReference<>();
        out.whenComplete((r, e) -> {
            CompletableFuture<ProxyResponse> running = current.get();
            if (out.isCancelled() && running != null) {
                running.cancel(false);
            }
        });
        attempt(request, 0, out, current);
        return out;
    }

    private void attempt(ProxyRequest request, int retried, CompletableFuture<ProxyResponse> out,
                         AtomicReference<CompletableFuture<ProxyResponse>> current) {
        if (out.isDone()) {
            return; // an outer timeout already answered
        }
        HttpService once = perTryTimeout.<HttpService>map(t -> new TimeoutFilter(t, scheduler, next)).orElse(next);
        CompletableFuture<ProxyResponse> inner = once.serve(request);
        current.set(inner);
        inner.whenComplete((r, e) -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else if (retried < retry.getAttempts() && retriable(r) && !out.isDone()) {
                scheduler.schedule(() -> attempt(request, retried + 1, out, current), backoffNanos(retried),
                        TimeUnit.NANOSECONDS);
            } else {
                out.complete(r);
            }
        });
    }

    /** Returns whether {@code response} should be retried under this policy. */
    boolean retriable(ProxyResponse response) {
        if (FAILURE_FLAGS.contains(response.flags())) {
            return true;
        }
        if (retry.getCodesCount() == 0) {
            return response.status() >= 500 && response.status() <= 599;
        }
        return retry.getCodesList().contains(response.status());
    }

    private long backoffNanos(int retried) {
        Duration base = retry.hasBackoff()
                ? Duration.ofSeconds(retry.getBackoff().getSeconds(), retry.getBackoff().getNanos()) : DEFAULT_BACKOFF;
        long nanos = base.toNanos() << Math.min(retried, 10);
        return Math.min(nanos, base.toNanos() * 10);
    }
}
