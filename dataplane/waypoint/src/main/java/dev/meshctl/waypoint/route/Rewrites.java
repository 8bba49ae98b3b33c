package dev.meshctl.waypoint.route;

import dev.meshctl.api.mesh.PathMatch;
import dev.meshctl.api.mesh.PathModifier;
import dev.meshctl.api.mesh.Redirect;
import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.api.mesh.UrlRewrite;
import dev.meshctl.waypoint.ProxyRequest;
import java.util.Objects;

/** Computes redirect locations and rewritten URLs from a rule's filters (Gateway API semantics). */
public final class Rewrites {

    private Rewrites() {
    }

    /** Returns the {@code Location} of {@code redirect} for {@code request}, which matched {@code match}. */
    public static String location(Redirect redirect, ProxyRequest request, RouteMatch match) {
        Objects.requireNonNull(redirect, "redirect");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(match, "match");
        String scheme = redirect.getScheme().isEmpty() ? "http" : redirect.getScheme();
        String host = redirect.getHostname().isEmpty() ? RouteTable.hostOf(request.authority())
                : redirect.getHostname();
        int port = redirect.getPort() != 0 ? redirect.getPort()
                : redirect.getScheme().isEmpty() ? portOf(request.authority()) : 0;
        boolean wellKnown = port == 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = redirect.hasPath() ? newPath(redirect.getPath(), request.path(), match) : request.path();
        String query = request.query().isEmpty() ? "" : "?" + request.query();
        return scheme + "://" + host + (wellKnown ? "" : ":" + port) + path + query;
    }

    /** Returns the redirect status: 301 or 302 (the default). */
    public static int status(Redirect redirect) {
        return redirect.getStatusCode() == 301 ? 301 : 302;
    }

    /** Returns {@code request} with {@code rewrite}'s hostname and path applied. */
    public static ProxyRequest rewrite(UrlRewrite rewrite, ProxyRequest request, RouteMatch match) {
        Objects.requireNonNull(rewrite, "rewrite");
        ProxyRequest out = request;
        if (!rewrite.getHostname().isEmpty()) {
            out = out.withAuthority(rewrite.getHostname());
        }
        if (rewrite.hasPath()) {
            String query = request.query().isEmpty() ? "" : "?" + request.query();
            out = out.withUri(newPath(rewrite.getPath(), request.path(), match) + query);
        }
        return out;
    }

    /** Applies a path modifier: a full replacement, or the matched prefix replaced (whole segments). */
    static String newPath(PathModifier modifier, String path, RouteMatch match) {
        return switch (modifier.getKindCase()) {
            case REPLACE_FULL_PATH -> modifier.getReplaceFullPath();
            case REPLACE_PREFIX_MATCH -> replacePrefix(modifier.getReplacePrefixMatch(), path, match);
            case KIND_NOT_SET -> path;
        };
    }

    private static String replacePrefix(String replacement, String path, RouteMatch match) {
        if (!match.hasPath() || match.getPath().getType() != PathMatch.Type.PREFIX) {
            return path; // only meaningful after a prefix match; the control plane validates that
        }
        String prefix = match.getPath().getValue();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        String rest = path.length() >= prefix.length() ? path.substring(prefix.length()) : "";
        String repl = replacement.endsWith("/") && rest.startsWith("/")
                ? replacement.substring(0, replacement.length() - 1) : replacement;
        String out = repl + rest;
        return out.isEmpty() ? "/" : out.startsWith("/") ? out : "/" + out;
    }

    private static int portOf(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon > 0 && authority.indexOf(']') < colon) {
            try {
                return Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
