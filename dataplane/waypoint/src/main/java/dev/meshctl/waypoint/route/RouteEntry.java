package dev.meshctl.waypoint.route;

import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.api.mesh.RouteRule;
import java.util.Objects;

/**
 * A rule chosen for a request, with the route it belongs to.
 *
 * @param route the Route resource ("namespace/name" for telemetry)
 * @param rule the rule, holding at most one match
 */
public record RouteEntry(Route route, RouteRule rule) {

    /** Checks that both parts are present. */
    public RouteEntry {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(rule, "rule");
    }

    /** Returns the rule's match, or the empty match (everything) when it has none. */
    public RouteMatch match() {
        return rule.getMatchesCount() == 0 ? RouteMatch.getDefaultInstance() : rule.getMatches(0);
    }

    /** Returns "namespace/name" of the route. */
    public String routeName() {
        return route.getNamespace() + "/" + route.getName();
    }
}
