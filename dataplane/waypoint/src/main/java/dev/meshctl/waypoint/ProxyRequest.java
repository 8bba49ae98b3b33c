package dev.meshctl.waypoint;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;

/**
 * One downstream HTTP request as the waypoint's filters see it: fully read, so it can be retried.
 *
 * <p>{@code headers} hold regular headers only (no {@code Host}: the authority is its own field). Treat them as
 * read-only; filters change a request through the {@code with*} copies.
 *
 * @param method the request method, upper case
 * @param uri the path and query as sent (origin form)
 * @param authority the {@code Host} / {@code :authority}
 * @param headers the regular headers
 * @param body the request body (possibly empty)
 * @param context who sent it and where it is going
 */
public record ProxyRequest(String method, String uri, String authority, HttpHeaders headers, byte[] body,
                           RequestContext context) {

    /** Checks that every part is present. */
    public ProxyRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(context, "context");
    }

    /** Returns the path without the query. */
    public String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** Returns the query without {@code ?}, or an empty string. */
    public String query() {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }

    /** Returns a copy with {@code uri}. */
    public ProxyRequest withUri(String newUri) {
        return new ProxyRequest(method, newUri, authority, headers, body, context);
    }

    /** Returns a copy with {@code newAuthority}. */
    public ProxyRequest withAuthority(String newAuthority) {
        return new ProxyRequest(method, uri, newAuthority, headers, body, context);
    }

    /** Returns a copy with {@code newHeaders}. */
    public ProxyRequest withHeaders(HttpHeaders newHeaders) {
        return new ProxyRequest(method, uri, authority, newHeaders, body, context);
    }

    /** Returns a mutable copy of the headers, for building {@link #withHeaders}. */
    public HttpHeaders copyHeaders() {
        return new DefaultHttpHeaders().add(headers);
    }
}
