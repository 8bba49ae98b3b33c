package dev.meshctl.waypoint.filter;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.RequestHeaderMatch;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import dev.meshctl.core.rbac.CidrBlock;
import dev.meshctl.core.rbac.StringMatchers;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.route.RouteTable;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides whether a request may pass the waypoint, from Authorization resources of scope WAYPOINT whose
 * {@code target_services} is empty or names the request's destination service.
 *
 * <p>Any matching DENY denies; with no applicable ALLOW policy the request is allowed; otherwise one ALLOW must
 * match. Paths are matched in {@link PathNormalizer normalized} form; a repeated header matches a value when any of
 * its values does (and fails a {@code not_values} when any does), so splitting a header never slips past a DENY.
 * Hosts are compared without case and without the port. Dry-run policies are skipped.
 */
public final class L7Authorizer {

    /** The outcome, with the deciding policy for logs. */
    public record Verdict(boolean allowed, String policy) {
    }

    private L7Authorizer() {
    }

    /** Returns the verdict for {@code request} under {@code policies}. */
    public static Verdict decide(Collection<Authorization> policies, ProxyRequest request) {
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(request, "request");
        Optional<String> service = request.context().destination().serviceKey();
        List<Authorization> applicable = policies.stream()
                .filter(p -> p.getScope() == Scope.WAYPOINT && !p.getDryRun())
                .filter(p -> p.getTargetServicesCount() == 0
                        || service.isPresent() && p.getTargetServicesList().contains(service.get()))
                .toList();
        if (applicable.isEmpty()) {
            return new Verdict(true, ""); // nothing applies: skip normalizing the request's facts
        }
        Facts facts = Facts.of(request);
        for (Authorization p : applicable) {
            if (p.getAction() == Action.DENY && matches(p, facts)) {
                return new Verdict(false, name(p));
            }
        }
        List<Authorization> allows = applicable.stream().filter(p -> p.getAction() == Action.ALLOW).toList();
        if (allows.isEmpty()) {
            return new Verdict(true, "");
        }
        for (Authorization p : allows) {
            if (matches(p, facts)) {
                return new Verdict(true, name(p));
            }
        }
        return new Verdict(false, "no ALLOW policy matched");
    }

    private static String name(Authorization p) {
        return p.getNamespace() + "/" + p.getName();
    }

    private static boolean matches(Authorization p, Facts f) {
        return p.getRulesList().stream().anyMatch(r -> matches(r, f));
    }

    private static boolean matches(Rules rules, Facts f) {
        return rules.getMatchesList().stream().allMatch(c -> matches(c, f));
    }

    private static boolean matches(Clause clause, Facts f) {
        return clause.getMatchesList().stream().anyMatch(m -> matches(m, f));
    }

    static boolean matches(Match m, Facts f) {
        return field(m.getNamespacesList(), m.getNotNamespacesList(), f.namespace)
                && field(m.getPrincipalsList(), m.getNotPrincipalsList(), Optional.of(f.principal))
                && cidrs(m.getSourceIpsList(), m.getNotSourceIpsList(), f.sourceIp)
                && cidrs(m.getDestinationIpsList(), m.getNotDestinationIpsList(), f.destinationIp)
                && (m.getDestinationPortsCount() == 0 || m.getDestinationPortsList().contains(f.port))
                && !m.getNotDestinationPortsList().contains(f.port)
                && field(lower(m.getHostsList()), lower(m.getNotHostsList()), Optional.of(f.host))
                && field(m.getMethodsList(), m.getNotMethodsList(), Optional.of(f.method))
                && field(m.getPathsList(), m.getNotPathsList(), Optional.of(f.path))
                && m.getRequestHeadersList().stream().allMatch(h -> header(h, f))
                // No request authentication (JWT) here: a principal requirement cannot be met.
                && m.getRequestPrincipalsCount() == 0;
    }

    private static boolean field(List<StringMatch> any, List<StringMatch> none, Optional<String> value) {
        if (!any.isEmpty() && any.stream().noneMatch(s -> StringMatchers.matches(s, value))) {
            return false;
        }
        return none.stream().noneMatch(s -> StringMatchers.matches(s, value));
    }

    private static boolean header(RequestHeaderMatch h, Facts f) {
        List<Optional<String>> values = f.request.headers().getAll(h.getName()).stream().map(Optional::of).toList();
        Predicate<StringMatch> anyValue = s -> values.stream().anyMatch(v -> StringMatchers.matches(s, v));
        if (h.getValuesCount() > 0 && h.getValuesList().stream().noneMatch(anyValue)) {
            return false;
        }
        return h.getNotValuesList().stream().noneMatch(anyValue);
    }

    private static boolean cidrs(List<Cidr> any, List<Cidr> none, InetAddress ip) {
        if (!any.isEmpty() && any.stream().noneMatch(c -> CidrBlock.of(c).contains(ip))) {
            return false;
        }
        return none.stream().noneMatch(c -> CidrBlock.of(c).contains(ip));
    }

    private static List<StringMatch> lower(List<StringMatch> matches) {
        return matches.stream().map(s -> switch (s.getMatchTypeCase()) {
            case EXACT -> s.toBuilder().setExact(s.getExact().toLowerCase(Locale.ROOT)).build();
            case PREFIX -> s.toBuilder().setPrefix(s.getPrefix().toLowerCase(Locale.ROOT)).build();
            case SUFFIX -> s.toBuilder().setSuffix(s.getSuffix().toLowerCase(Locale.ROOT)).build();
            default -> s;
        }).toList();
    }

    /** What the rules look at, computed once per request. */
    record Facts(ProxyRequest request, String principal, Optional<String> namespace, InetAddress sourceIp,
                 InetAddress destinationIp, int port, String host, String method, String path) {
        static Facts of(ProxyRequest r) {
            return new Facts(r, r.context().principal(), r.context().peerNamespace(),
                    r.context().client().getAddress(), r.context().destination().target().getAddress(),
                    r.context().destination().port().getServicePort(), RouteTable.hostOf(r.authority()),
                    r.method(), PathNormalizer.normalize(r.path()));
        }
    }
}
