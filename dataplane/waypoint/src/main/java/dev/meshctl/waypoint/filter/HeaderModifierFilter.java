package dev.meshctl.waypoint.filter;

import dev.meshctl.api.mesh.Header;
import dev.meshctl.api.mesh.HeaderModifier;
import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Sets, adds and removes request headers before {@code next}, and response headers after it. */
public final class HeaderModifierFilter implements HttpService {

    private final HeaderModifier request;
    private final HeaderModifier response;
    private final HttpService next;

    /** Wraps {@code next}; either modifier may be the default (empty) instance. */
    public HeaderModifierFilter(HeaderModifier request, HeaderModifier response, HttpService next) {
        this.request = Objects.requireNonNull(request, "request");
        this.response = Objects.requireNonNull(response, "response");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public CompletableFuture<ProxyResponse> serve(ProxyRequest in) {
        ProxyRequest out = isEmpty(request) ? in : in.withHeaders(apply(request, in.copyHeaders()));
        CompletableFuture<ProxyResponse> answer = next.serve(out);
        return isEmpty(response) ? answer : answer.thenApply(r -> r.withHeaders(apply(response, r.copyHeaders())));
    }

    /** Applies {@code modifier} to {@code headers} (set, then add, then remove) and returns them. */
    public static HttpHeaders apply(HeaderModifier modifier, HttpHeaders headers) {
        for (Header h : modifier.getSetList()) {
            headers.set(h.getName(), h.getValue());
        }
        for (Header h : modifier.getAddList()) {
            headers.add(h.getName(), h.getValue());
        }
        for (String name : modifier.getRemoveList()) {
            headers.remove(name);
        }
        return headers;
    }

    private static boolean isEmpty(HeaderModifier m) {
        return m.getSetCount() == 0 && m.getAddCount() == 0 && m.getRemoveCount() == 0;
    }
}
