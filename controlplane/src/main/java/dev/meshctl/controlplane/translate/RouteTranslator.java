package dev.meshctl.controlplane.translate;

import com.google.protobuf.Duration;
import dev.meshctl.api.mesh.Backend;
import dev.meshctl.api.mesh.Fault;
import dev.meshctl.api.mesh.Header;
import dev.meshctl.api.mesh.HeaderMatch;
import dev.meshctl.api.mesh.HeaderModifier;
import dev.meshctl.api.mesh.PathMatch;
import dev.meshctl.api.mesh.PathModifier;
import dev.meshctl.api.mesh.QueryMatch;
import dev.meshctl.api.mesh.Redirect;
import dev.meshctl.api.mesh.Retry;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteFilter;
import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.api.mesh.Timeouts;
import dev.meshctl.api.mesh.UrlRewrite;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.Pods;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRetry;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Translates an HTTPRoute into a waypoint's Route.
 *
 * <p>A rule with several matches becomes one RouteRule per match, ordered by Gateway API precedence (exact
 * path, then longer prefix, then method, then more header and query matches; ties keep the written order),
 * so a waypoint can take the first rule that matches. Retries come from the rule's {@code retry} field; a
 * route without one may set {@code meshctl.dev/retry-attempts}, {@code meshctl.dev/retry-per-try-timeout}
 * and {@code meshctl.dev/retry-codes}. Fault injection (which HTTPRoute lacks) comes from
 * {@code meshctl.dev/fault-delay}, {@code meshctl.dev/fault-delay-percent},
 * {@code meshctl.dev/fault-abort-status} and {@code meshctl.dev/fault-abort-percent}. Annotations apply to
 * every rule of the route.
 */
final class RouteTranslator {
  static final String RETRY_ATTEMPTS = "meshctl.dev/retry-attempts";
  static final String RETRY_PER_TRY_TIMEOUT = "meshctl.dev/retry-per-try-timeout";
  static final String RETRY_CODES = "meshctl.dev/retry-codes";
  static final String FAULT_DELAY = "meshctl.dev/fault-delay";
  static final String FAULT_DELAY_PERCENT = "meshctl.dev/fault-delay-percent";
  static final String FAULT_ABORT_STATUS = "meshctl.dev/fault-abort-status";
  static final String FAULT_ABORT_PERCENT = "meshctl.dev/fault-abort-percent";

  private final MeshConfig config;
  private final List<String> warnings;

  RouteTranslator(MeshConfig config, List<String> warnings) {
    this.config = config;
    this.warnings = warnings;
  }

  /** Translates a route attached to {@code parents} ("namespace/hostname" of Services). */
  Route translate(HTTPRoute route, Collection<String> parents) {
    String key = MeshModel.key(route);
    String ns = route.getMetadata().getNamespace();
    Map<String, String> annotations = Pods.annotations(route);
    Optional<Retry> annotatedRetry = annotatedRetry(key, annotations);
    Optional<Fault> fault = fault(key, annotations);
    List<RouteRule> rules = new ArrayList<>();
    List<HTTPRouteRule> written = route.getSpec() == null || route.getSpec().getRules() == null ? List.of()
        : route.getSpec().getRules();
    for (HTTPRouteRule rule : written) {
      if (rule == null) {
        continue;
      }
      RouteRule.Builder base = RouteRule.newBuilder().setName(rule.getName() == null ? "" : rule.getName());
      filters(key, rule.getFilters()).forEach(base::addFilters);
      for (HTTPBackendRef b : rule.getBackendRefs() == null ? List.<HTTPBackendRef>of() : rule.getBackendRefs()) {
        backend(key, ns, b).ifPresent(base::addBackends);
      }
      timeouts(key, rule.getTimeouts()).ifPresent(base::setTimeouts);
      Optional<Retry> retry = rule.getRetry() != null ? retry(key, rule.getRetry()) : annotatedRetry;
      retry.ifPresent(base::setRetry);
      fault.ifPresent(base::setFault);
      List<HTTPRouteMatch> matches = rule.getMatches() == null ? List.of() : rule.getMatches();
      if (matches.isEmpty()) {
        rules.add(base.build());
      }
      for (HTTPRouteMatch m : matches) {
        if (m != null) {
          rules.add(base.clone().addMatches(match(m)).build());
        }
      }
    }
    // Stable: equal precedence keeps the written order.
    rules.sort(Comparator.comparing(RouteTranslator::precedence));
    return Route.newBuilder()
        .setName(route.getMetadata().getName())
        .setNamespace(ns)
        .addAllParents(new TreeSet<>(parents))
        .addAllHostnames(route.getSpec() == null || route.getSpec().getHostnames() == null ? List.of()
            : route.getSpec().getHostnames())
        .addAllRules(rules)
        .build();
  }

  // Lower sorts first.
  private static Precedence precedence(RouteRule rule) {
    if (rule.getMatchesCount() == 0) {
      return new Precedence(1, -1, 1, 0, 0);
    }
    RouteMatch m = rule.getMatches(0);
    PathMatch p = m.hasPath() ? m.getPath() : PathMatch.newBuilder().setValue("/").build();
    int type = p.getType() == PathMatch.Type.EXACT ? 0 : p.getType() == PathMatch.Type.PREFIX ? 1 : 2;
    return new Precedence(type, p.getValue().length(), m.getMethod().isEmpty() ? 1 : 0,
        m.getHeadersCount(), m.getQueryParamsCount());
  }

  private record Precedence(int pathType, int pathLength, int noMethod, int headers, int queries)
      implements Comparable<Precedence> {
    @Override
    public int compareTo(Precedence o) {
      return Comparator.comparingInt(Precedence::pathType)
          .thenComparing(Precedence::pathLength, Comparator.reverseOrder())
          .thenComparingInt(Precedence::noMethod)
          .thenComparing(Precedence::headers, Comparator.reverseOrder())
          .thenComparing(Precedence::queries, Comparator.reverseOrder())
          .compare(this, o);
    }
  }

  private static RouteMatch match(HTTPRouteMatch m) {
    RouteMatch.Builder out = RouteMatch.newBuilder();
    if (m.getPath() != null) {
      String type = m.getPath().getType() == null ? "PathPrefix" : m.getPath().getType();
      out.setPath(PathMatch.newBuilder()
          .setType(switch (type) {
            case "Exact" -> PathMatch.Type.EXACT;
            case "RegularExpression" -> PathMatch.Type.REGEX;
            default -> PathMatch.Type.PREFIX;
          })
          .setValue(m.getPath().getValue() == null ? "/" : m.getPath().getValue()));
    }
    for (HTTPHeaderMatch h : m.getHeaders() == null ? List.<HTTPHeaderMatch>of() : m.getHeaders()) {
      out.addHeaders(HeaderMatch.newBuilder()
          .setType("RegularExpression".equals(h.getType()) ? HeaderMatch.Type.REGEX : HeaderMatch.Type.EXACT)
          .setName(h.getName() == null ? "" : h.getName())
          .setValue(h.getValue() == null ? "" : h.getValue()));
    }
    if (m.getMethod() != null) {
      out.setMethod(m.getMethod());
    }
    for (HTTPQueryParamMatch q : m.getQueryParams() == null ? List.<HTTPQueryParamMatch>of() : m.getQueryParams()) {
      out.addQueryParams(QueryMatch.newBuilder()
          .setType("RegularExpression".equals(q.getType()) ? QueryMatch.Type.REGEX : QueryMatch.Type.EXACT)
          .setName(q.getName() == null ? "" : q.getName())
          .setValue(q.getValue() == null ? "" : q.getValue()));
    }
    return out.build();
  }

  private Optional<Backend> backend(String key, String routeNs, HTTPBackendRef b) {
    String kind = b.getKind() == null ? "Service" : b.getKind();
    String group = b.getGroup() == null ? "" : b.getGroup();
    if (!kind.equals("Service") || !(group.isEmpty() || group.equals("core"))) {
      warnings.add("HTTPRoute " + key + ": backendRef " + b.getName() + " of kind " + kind
          + " is not supported (only Services); it is skipped");
      return Optional.empty();
    }
    String ns = b.getNamespace() == null || b.getNamespace().isEmpty() ? routeNs : b.getNamespace();
    Backend.Builder out = Backend.newBuilder()
        .setService(ns + "/" + config.hostname(ns, b.getName()))
        .setPort(b.getPort() == null ? 0 : b.getPort())
        .setWeight(b.getWeight() == null ? 1 : b.getWeight());
    filters(key, b.getFilters()).forEach(out::addFilters);
    return Optional.of(out.build());
  }

  private List<RouteFilter> filters(String key, List<HTTPRouteFilter> filters) {
    List<RouteFilter> out = new ArrayList<>();
    for (HTTPRouteFilter f : filters == null ? List.<HTTPRouteFilter>of() : filters) {
      if (f == null) {
        continue;
      }
      String type = f.getType() == null ? "" : f.getType();
      switch (type) {
        case "RequestHeaderModifier" -> out.add(RouteFilter.newBuilder()
            .setRequestHeaderModifier(headers(f.getRequestHeaderModifier())).build());
        case "ResponseHeaderModifier" -> out.add(RouteFilter.newBuilder()
            .setResponseHeaderModifier(headers(f.getResponseHeaderModifier())).build());
        case "RequestRedirect" -> {
          var r = f.getRequestRedirect();
          Redirect.Builder b = Redirect.newBuilder();
          if (r != null) {
            b.setScheme(orEmpty(r.getScheme())).setHostname(orEmpty(r.getHostname()))
                .setPort(r.getPort() == null ? 0 : r.getPort()).setStatusCode(r.getStatusCode() == null ? 0 : r.getStatusCode());
            path(r.getPath()).ifPresent(b::setPath);
          }
          out.add(RouteFilter.newBuilder().setRequestRedirect(b).build());
        }
        case "URLRewrite" -> {
          var r = f.getUrlRewrite();
          UrlRewrite.Builder b = UrlRewrite.newBuilder();
          if (r != null) {
            b.setHostname(orEmpty(r.getHostname()));
            path(r.getPath()).ifPresent(b::setPath);
          }
          out.add(RouteFilter.newBuilder().setUrlRewrite(b).build());
        }
        default -> warnings.add("HTTPRoute " + key + ": filter " + type + " is not supported; it is skipped");
      }
    }
    return out;
  }

  private static HeaderModifier headers(HTTPHeaderFilter f) {
    HeaderModifier.Builder out = HeaderModifier.newBuilder();
    if (f == null) {
      return out.build();
    }
    for (HTTPHeader h : f.getSet() == null ? List.<HTTPHeader>of() : f.getSet()) {
      out.addSet(Header.newBuilder().setName(orEmpty(h.getName())).setValue(orEmpty(h.getValue())));
    }
    for (HTTPHeader h : f.getAdd() == null ? List.<HTTPHeader>of() : f.getAdd()) {
      out.addAdd(Header.newBuilder().setName(orEmpty(h.getName())).setValue(orEmpty(h.getValue())));
    }
    if (f.getRemove() != null) {
      out.addAllRemove(f.getRemove());
    }
    return out.build();
  }

  private static Optional<PathModifier> path(HTTPPathModifier p) {
    if (p == null) {
      return Optional.empty();
    }
    if ("ReplacePrefixMatch".equals(p.getType()) && p.getReplacePrefixMatch() != null) {
      return Optional.of(PathModifier.newBuilder().setReplacePrefixMatch(p.getReplacePrefixMatch()).build());
    }
    if (p.getReplaceFullPath() != null) {
      return Optional.of(PathModifier.newBuilder().setReplaceFullPath(p.getReplaceFullPath()).build());
    }
    return Optional.empty();
  }

  private Optional<Timeouts> timeouts(String key, HTTPRouteTimeouts t) {
    if (t == null) {
      return Optional.empty();
    }
    Timeouts.Builder out = Timeouts.newBuilder();
    duration(key, "timeouts.request", t.getRequest()).ifPresent(out::setRequest);
    duration(key, "timeouts.backendRequest", t.getBackendRequest()).ifPresent(out::setBackendRequest);
    return Optional.of(out.build());
  }

  private Optional<Retry> retry(String key, HTTPRouteRetry r) {
    Retry.Builder out = Retry.newBuilder().setAttempts(r.getAttempts() == null ? 0 : r.getAttempts());
    if (r.getCodes() != null) {
      r.getCodes().stream().filter(c -> c != null).forEach(out::addCodes);
    }
    duration(key, "retry.backoff", r.getBackoff()).ifPresent(out::setBackoff);
    return Optional.of(out.build());
  }

  private Optional<Retry> annotatedRetry(String key, Map<String, String> a) {
    if (!a.containsKey(RETRY_ATTEMPTS)) {
      return Optional.empty();
    }
    Optional<Integer> attempts = number(key, RETRY_ATTEMPTS, a.get(RETRY_ATTEMPTS), 0, 100);
    if (attempts.isEmpty()) {
      return Optional.empty();
    }
    Retry.Builder out = Retry.newBuilder().setAttempts(attempts.get());
    duration(key, RETRY_PER_TRY_TIMEOUT, a.get(RETRY_PER_TRY_TIMEOUT)).ifPresent(out::setPerTryTimeout);
    if (a.get(RETRY_CODES) != null) {
      for (String code : a.get(RETRY_CODES).split(",")) {
        number(key, RETRY_CODES, code.trim(), 100, 599).ifPresent(out::addCodes);
      }
    }
    return Optional.of(out.build());
  }

  private Optional<Fault> fault(String key, Map<String, String> a) {
    Fault.Builder out = Fault.newBuilder();
    if (a.containsKey(FAULT_DELAY)) {
      duration(key, FAULT_DELAY, a.get(FAULT_DELAY)).ifPresent(d -> out.setDelay(Fault.Delay.newBuilder()
          .setFixedDelay(d).setPercentage(percent(key, FAULT_DELAY_PERCENT, a.get(FAULT_DELAY_PERCENT)))));
    }
    if (a.containsKey(FAULT_ABORT_STATUS)) {
      number(key, FAULT_ABORT_STATUS, a.get(FAULT_ABORT_STATUS), 200, 599).ifPresent(s -> out.setAbort(
          Fault.Abort.newBuilder().setHttpStatus(s).setPercentage(percent(key, FAULT_ABORT_PERCENT,
              a.get(FAULT_ABORT_PERCENT)))));
    }
    return out.hasDelay() || out.hasAbort() ? Optional.of(out.build()) : Optional.empty();
  }

  private double percent(String key, String field, String value) {
    if (value == null) {
      return 100;
    }
    try {
      double p = Double.parseDouble(value.trim());
      if (p >= 0 && p <= 100) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    warnings.add("HTTPRoute " + key + ": " + field + "=" + value + " is not a percentage 0-100; using 100");
    return 100;
  }

  private Optional<Integer> number(String key, String field, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return Optional.of(n);
      }
    } catch (NumberFormatException | NullPointerException e) {
      // reported below
    }
    warnings.add("HTTPRoute " + key + ": " + field + "=" + value + " is not a number " + min + "-" + max
        + "; ignored");
    return Optional.empty();
  }

  private Optional<Duration> duration(String key, String field, String value) {
    if (value == null) {
      return Optional.empty();
    }
    Optional<Duration> d = Durations.parse(value);
    if (d.isEmpty()) {
      warnings.add("HTTPRoute " + key + ": " + field + "=" + value + " is not a duration such as 10s or 500ms;"
          + " ignored");
    }
    return d;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
