package dev.meshctl.waypoint.route;

import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.api.mesh.RouteRule;
import java.util.Comparator;

/**
 * Orders route rules by Gateway API precedence: exact path, then longer prefix, then regex; then a method match;
 * then more header matches; then more query matches. Ties keep their order (sorting must be stable).
 */
final class Precedence {

    /** Compares two rules (each holding at most one match, as the control plane splits them). */
    static final Comparator<RouteRule> ORDER = Comparator
            .comparingInt((RouteRule r) -> pathType(first(r)))
            .thenComparing(r -> pathLength(first(r)), Comparator.reverseOrder())
            .thenComparingInt(r -> first(r).getMethod().isEmpty() ? 1 : 0)
            .thenComparing(r -> first(r).getHeadersCount(), Comparator.reverseOrder())
            .thenComparing(r -> first(r).getQueryParamsCount(), Comparator.reverseOrder());

    private Precedence() {
    }

    private static RouteMatch first(RouteRule rule) {
        return rule.getMatchesCount() == 0 ? RouteMatch.getDefaultInstance() : rule.getMatches(0);
    }

    private static int pathType(RouteMatch m) {
        if (!m.hasPath()) {
            return 1;
        }
        return switch (m.getPath().getType()) {
            case EXACT -> 0;
            case PREFIX, UNRECOGNIZED -> 1;
            case REGEX -> 2;
        };
    }

    private static int pathLength(RouteMatch m) {
        return m.hasPath() && !m.getPath().getValue().isEmpty() ? m.getPath().getValue().length() : 1;
    }
}
