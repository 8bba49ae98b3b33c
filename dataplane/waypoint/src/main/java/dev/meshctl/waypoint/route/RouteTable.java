package dev.meshctl.waypoint.route;

import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.waypoint.ProxyRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds the route rules of each service, in precedence order, and picks the first that matches a request.
 *
 * <p>Rules of all routes attached to a service are merged: rules are ordered by {@link Precedence}, ties by route
 * namespace/name (Gateway API breaks ties by age, which the resources do not carry), then by written order.
 *
 * <pre>{@code
 * RouteTable table = RouteTable.of(state.resources(Route.class).values());
 * Optional<RouteEntry> entry = table.select("default/reviews.default.svc.cluster.local", request);
 * }</pre>
 */
public final class RouteTable {

    private static final RouteTable EMPTY = new RouteTable(Map.of());

    private final Map<String, List<RouteEntry>> byService;

    private RouteTable(Map<String, List<RouteEntry>> byService) {
        this.byService = byService;
    }

    /** Returns a table with no routes. */
    public static RouteTable empty() {
        return EMPTY;
    }

    /** Builds the table from Route resources. */
    public static RouteTable of(Collection<Route> routes) {
        Objects.requireNonNull(routes, "routes");
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparing(Route::getNamespace).thenComparing(Route::getName));
        Map<String, List<RouteEntry>> out = new HashMap<>();
        for (Route route : sorted) {
            for (RouteRule rule : route.getRulesList()) {
                for (RouteRule single : split(rule)) {
                    for (String parent : route.getParentsList()) {
                        out.computeIfAbsent(parent, k -> new ArrayList<>()).add(new RouteEntry(route, single));
                    }
                }
            }
        }
        out.replaceAll((k, list) -> {
            List<RouteEntry> copy = new ArrayList<>(list);
            copy.sort(Comparator.comparing(RouteEntry::rule, Precedence.ORDER)); // stable
            return List.copyOf(copy);
        });
        return new RouteTable(Map.copyOf(out));
    }

    /** Returns whether any route is attached to {@code serviceKey}. */
    public boolean hasRoutes(String serviceKey) {
        return byService.containsKey(serviceKey);
    }

    /** Returns the first rule of {@code serviceKey}'s routes matching {@code request}. */
    public Optional<RouteEntry> select(String serviceKey, ProxyRequest request) {
        Objects.requireNonNull(serviceKey, "serviceKey");
        Objects.requireNonNull(request, "request");
        String host = hostOf(request.authority());
        for (RouteEntry e : byService.getOrDefault(serviceKey, List.of())) {
            if (hostMatches(e.route().getHostnamesList(), host) && RouteMatcher.matches(e.match(), request)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Returns {@code host} without a port, lower case ({@code [v6]} keeps its brackets). */
    public static String hostOf(String authority) {
        String a = authority.toLowerCase(Locale.ROOT);
        int colon = a.lastIndexOf(':');
        if (colon > 0 && a.indexOf(']') < colon && a.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return a.substring(0, colon);
        }
        return a;
    }

    private static boolean hostMatches(List<String> hostnames, String host) {
        if (hostnames.isEmpty()) {
            return true;
        }
        for (String h : hostnames) {
            String name = h.toLowerCase(Locale.ROOT);
            if (name.startsWith("*.") ? host.endsWith(name.substring(1)) : host.equals(name)) {
                return true;
            }
        }
        return false;
    }

    // The control plane already sends one match per rule; split anyway so precedence sees each match.
    private static List<RouteRule> split(RouteRule rule) {
        if (rule.getMatchesCount() <= 1) {
            return List.of(rule);
        }
        List<RouteRule> out = new ArrayList<>();
        rule.getMatchesList().forEach(m -> out.add(rule.toBuilder().clearMatches().addMatches(m).build()));
        return out;
    }
}
