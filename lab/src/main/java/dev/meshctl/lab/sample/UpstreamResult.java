package dev.meshctl.lab.sample;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Records how one upstream call ended: the JSON body when the upstream answered 2xx with JSON,
 * else an error an operator can read in the page.
 *
 * @param status the upstream's status code; 503 when it could not be reached, 504 when it did not answer in time,
 *               502 when it answered 2xx with something that is not JSON
 * @param body   the JSON body when the call succeeded, else null
 * @param error  what went wrong, else null
 */
record UpstreamResult(int status, String body, String error) {

    private static final int MAX_QUOTED_BODY = 200;

    UpstreamResult {
        if ((body == null) == (error == null)) {
            throw new IllegalArgumentException("BUG: an upstream result has either a body or an error");
        }
    }

    /** Tells whether the upstream answered 2xx with JSON. */
    boolean ok() {
        return error == null;
    }

    /** Returns the value to embed in a page: the upstream's body, or {@code {"error": ..., "status": N}}. */
    Object toJson() {
        if (ok()) {
            return new Json.Raw(body);
        }
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("error", error);
        node.put("status", status);
        return node;
    }

    /** Judges an answer from upstream {@code name}. */
    static UpstreamResult fromResponse(String name, int status, String body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        if (status < 200 || status > 299) {
            return new UpstreamResult(status, null, name + " answered " + status + quote(body));
        }
        if (!Json.isJson(body)) {
            return new UpstreamResult(502, null, name + " answered " + status + " but not with JSON" + quote(body));
        }
        return new UpstreamResult(status, body, null);
    }

    /** Describes a call to upstream {@code name} at {@code uri} that got no answer. */
    static UpstreamResult fromFailure(String name, URI uri, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return new UpstreamResult(504, null, name + " at " + uri + " did not answer in time ("
                    + cause.getMessage() + ")");
        }
        String reason = cause instanceof ConnectException ? "could not connect" : "call failed";
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new UpstreamResult(503, null, name + " at " + uri + ": " + reason + " (" + detail
                + "); check that the service runs and that a policy allows this caller");
    }

    private static String quote(String body) {
        String trimmed = body.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return ": " + (trimmed.length() > MAX_QUOTED_BODY ? trimmed.substring(0, MAX_QUOTED_BODY) + "..." : trimmed);
    }
}
