package dev.meshctl.waypoint.filter;

import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers 403 {@code RBAC: access denied} to requests the {@link L7Authorizer} denies; passes the rest on. */
public final class AuthorizationFilter implements HttpService {

    /** The body of a denial, as Envoy's RBAC filter writes it. */
    public static final String DENIED_BODY = "RBAC: access denied";

    private static final Logger log = LoggerFactory.getLogger(AuthorizationFilter.class);

    private final Supplier<? extends Collection<Authorization>> policies;
    private final HttpService next;

    /** Wraps {@code next}; {@code policies} is read per request so config changes apply at once. */
    public AuthorizationFilter(Supplier<? extends Collection<Authorization>> policies, HttpService next) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public CompletableFuture<ProxyResponse> serve(ProxyRequest request) {
        L7Authorizer.Verdict verdict = L7Authorizer.decide(policies.get(), request);
        if (!verdict.allowed()) {
            log.debug("denied {} {} from {}: {}", request.method(), request.uri(), request.context().principal(),
                    verdict.policy());
            return CompletableFuture.completedFuture(ProxyResponse.local(403, DENIED_BODY, "RBAC"));
        }
        return next.serve(request);
    }
}
