package dev.meshctl.waypoint;

import io.netty.handler.codec.http.HttpHeaders;

/** Opens {@link Requests} to tests in sub-packages. */
public final class RequestsAccess {

    private RequestsAccess() {
    }

    /** Returns a request to the reviews service from {@code sa/curl}. */
    public static ProxyRequest of(String method, String uri, HttpHeaders headers) {
        return Requests.of(method, uri, headers);
    }
}
