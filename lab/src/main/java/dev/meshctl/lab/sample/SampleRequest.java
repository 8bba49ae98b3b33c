package dev.meshctl.lab.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Describes one request as the application sees it, independent of HTTP/1.1 or HTTP/2 framing.
 *
 * @param method   the request method, e.g. {@code GET}
 * @param path     the decoded path without the query, e.g. {@code /status/418}
 * @param protocol {@code HTTP/1.1} or {@code HTTP/2}
 * @param client   the peer address the server saw, as {@code ip:port}
 * @param headers  the request headers in arrival order; names as received
 */
record SampleRequest(String method, String path, String protocol, String client, List<Map.Entry<String, String>> headers) {

    SampleRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(client, "client");
        headers = List.copyOf(headers);
    }

    /** Returns the headers that carry a request's identity and trace to upstream calls, names in lower case. */
    Map<String, String> propagatedHeaders() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (isPropagated(name)) {
                out.merge(name, header.getValue(), (a, b) -> a + "," + b);
            }
        }
        return out;
    }

    /** Tells whether a lower-case header name is one that tracing and the demo's user routing rely on. */
    static boolean isPropagated(String lowerCaseName) {
        switch (lowerCaseName) {
            case "x-request-id":
            case "end-user":
            case "traceparent":
            case "tracestate":
            case "baggage":
            case "b3":
                return true;
            default:
                return lowerCaseName.startsWith("x-b3-");
        }
    }
}
