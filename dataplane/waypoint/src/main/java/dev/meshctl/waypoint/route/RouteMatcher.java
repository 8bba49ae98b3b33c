package dev.meshctl.waypoint.route;

import dev.meshctl.api.mesh.HeaderMatch;
import dev.meshctl.api.mesh.PathMatch;
import dev.meshctl.api.mesh.QueryMatch;
import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.waypoint.ProxyRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Matches a request against a Gateway API {@link RouteMatch}: path (exact, prefix by whole segments, full regex),
 * method, headers (any value of a repeated header may match) and query parameters.
 */
public final class RouteMatcher {

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final Pattern NEVER = Pattern.compile("a\\A");

    private RouteMatcher() {
    }

    /** Returns whether every field {@code match} sets matches {@code request}. */
    public static boolean matches(RouteMatch match, ProxyRequest request) {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(request, "request");
        if (match.hasPath() && !pathMatches(match.getPath(), request.path())) {
            return false;
        }
        if (!match.getMethod().isEmpty() && !match.getMethod().equalsIgnoreCase(request.method())) {
            return false;
        }
        for (HeaderMatch h : match.getHeadersList()) {
            List<String> values = request.headers().getAll(h.getName());
            boolean any = values.stream().anyMatch(v -> h.getType() == HeaderMatch.Type.REGEX
                    ? pattern(h.getValue()).matcher(v).matches() : v.equals(h.getValue()));
            if (!any) {
                return false;
            }
        }
        if (match.getQueryParamsCount() > 0) {
            Map<String, List<String>> query = parseQuery(request.query());
            for (QueryMatch q : match.getQueryParamsList()) {
                boolean any = query.getOrDefault(q.getName(), List.of()).stream()
                        .anyMatch(v -> q.getType() == QueryMatch.Type.REGEX
                                ? pattern(q.getValue()).matcher(v).matches() : v.equals(q.getValue()));
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Returns whether {@code path} (no query) matches; a prefix matches whole segments and ignores a trailing /. */
    public static boolean pathMatches(PathMatch match, String path) {
        String value = match.getValue().isEmpty() ? "/" : match.getValue();
        return switch (match.getType()) {
            case EXACT -> path.equals(value);
            case REGEX -> pattern(value).matcher(path).matches();
            case PREFIX, UNRECOGNIZED -> prefixMatches(value, path);
        };
    }

    private static boolean prefixMatches(String prefix, String path) {
        String p = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (p.equals("/")) {
            return true;
        }
        return path.equals(p) || path.startsWith(p + "/");
    }

    /** Parses {@code a=1&b=2&a=3} into name -> values, decoding percent escapes. */
    public static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // malformed escapes are compared literally
        }
    }

    // An invalid regex from config matches nothing rather than failing every request.
    private static Pattern pattern(String regex) {
        return PATTERNS.computeIfAbsent(regex, r -> {
            try {
                return Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                return NEVER;
            }
        });
    }
}
