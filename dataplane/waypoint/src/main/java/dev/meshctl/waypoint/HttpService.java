package dev.meshctl.waypoint;

import java.util.concurrent.CompletableFuture;

/**
 * Answers a request, possibly asynchronously; filters are {@code HttpService}s that wrap another one.
 */
@FunctionalInterface
public interface HttpService {

    /** Returns the response to {@code request}; fails only on a bug or when the upstream exchange failed. */
    CompletableFuture<ProxyResponse> serve(ProxyRequest request);
}
