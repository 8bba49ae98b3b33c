package dev.meshctl.objects.validation;

import static dev.meshctl.objects.FieldPath.child;
import static dev.meshctl.objects.FieldPath.index;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks HTTPRoutes: parents, backends and their weights, and match types and values. */
public final class HttpRouteRules {
  private static final Set<String> PATH_TYPES = Set.of("Exact", "PathPrefix", "RegularExpression");
  private static final Set<String> HEADER_TYPES = Set.of("Exact", "RegularExpression");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final Set<String> PARENT_KINDS = Set.of("Gateway", "Service");

  private HttpRouteRules() {}

  /** Checks an HTTPRoute. */
  public static void route(HTTPRoute route, Findings findings) {
    HTTPRouteSpec spec = route.getSpec();
    if (spec == null) {
      findings.required("spec");
      return;
    }
    List<ParentReference> parents = spec.getParentRefs();
    if (parents == null || parents.isEmpty()) {
      findings.add("spec.parentRefs", "at least one parentRef is required: a Gateway, or a Service for mesh"
          + " routing (kind: Service, group: \"\")");
    }
    for (int i = 0; parents != null && i < parents.size(); i++) {
      if (findings.notNull("spec.parentRefs", i, parents.get(i))) {
        parent(parents.get(i), index("spec.parentRefs", i), findings);
      }
    }
    List<HTTPRouteRule> rules = spec.getRules();
    for (int i = 0; rules != null && i < rules.size(); i++) {
      if (findings.notNull("spec.rules", i, rules.get(i))) {
        rule(rules.get(i), index("spec.rules", i), findings);
      }
    }
  }

  private static void parent(ParentReference parent, String path, Findings findings) {
    if (parent.getName() == null || parent.getName().isEmpty()) {
      findings.required(child(path, "name"));
    }
    String kind = parent.getKind() == null ? "Gateway" : parent.getKind();
    if (!PARENT_KINDS.contains(kind)) {
      findings.add(child(path, "kind"), "must be Gateway or Service, got \"" + kind + "\"");
    }
    if (parent.getPort() != null) {
      findings.port(child(path, "port"), parent.getPort());
    }
  }

  private static void rule(HTTPRouteRule rule, String path, Findings findings) {
    List<HTTPRouteMatch> matches = rule.getMatches();
    for (int i = 0; matches != null && i < matches.size(); i++) {
      if (findings.notNull(child(path, "matches"), i, matches.get(i))) {
        match(matches.get(i), index(child(path, "matches"), i), findings);
      }
    }
    List<HTTPBackendRef> backends = rule.getBackendRefs();
    for (int i = 0; backends != null && i < backends.size(); i++) {
      if (findings.notNull(child(path, "backendRefs"), i, backends.get(i))) {
        backend(backends.get(i), index(child(path, "backendRefs"), i), findings);
      }
    }
  }

  private static void backend(HTTPBackendRef backend, String path, Findings findings) {
    if (backend.getName() == null || backend.getName().isEmpty()) {
      findings.required(child(path, "name"));
    }
    String kind = backend.getKind() == null ? "Service" : backend.getKind();
    if (!kind.equals("Service")) {
      findings.add(child(path, "kind"), "only Service backends are supported, got \"" + kind + "\"");
    }
    if (backend.getPort() == null) {
      findings.add(child(path, "port"), "required for a Service backend");
    } else {
      findings.port(child(path, "port"), backend.getPort());
    }
    Integer weight = backend.getWeight();
    if (weight != null && (weight < 0 || weight > 1_000_000)) {
      findings.add(child(path, "weight"), "must be between 0 and 1000000, got " + weight);
    }
  }

  private static void match(HTTPRouteMatch match, String path, Findings findings) {
    HTTPPathMatch pathMatch = match.getPath();
    if (pathMatch != null) {
      String type = pathMatch.getType() == null ? "PathPrefix" : pathMatch.getType();
      String value = pathMatch.getValue() == null ? "/" : pathMatch.getValue();
      String field = child(path, "path");
      if (!PATH_TYPES.contains(type)) {
        findings.add(child(field, "type"), "must be Exact, PathPrefix or RegularExpression, got \"" + type + "\"");
      } else if (type.equals("RegularExpression")) {
        regex(value, child(field, "value"), findings);
      } else if (!value.startsWith("/")) {
        findings.add(child(field, "value"), "must start with \"/\", got \"" + value + "\"");
      }
    }
    List<HTTPHeaderMatch> headers = match.getHeaders();
    for (int i = 0; headers != null && i < headers.size(); i++) {
      if (!findings.notNull(child(path, "headers"), i, headers.get(i))) {
        continue;
      }
      HTTPHeaderMatch header = headers.get(i);
      String field = index(child(path, "headers"), i);
      if (header.getName() == null || header.getName().isEmpty()) {
        findings.required(child(field, "name"));
      }
      String type = header.getType() == null ? "Exact" : header.getType();
      if (!HEADER_TYPES.contains(type)) {
        findings.add(child(field, "type"), "must be Exact or RegularExpression, got \"" + type + "\"");
      } else if (type.equals("RegularExpression") && header.getValue() != null) {
        regex(header.getValue(), child(field, "value"), findings);
      }
    }
    if (match.getMethod() != null && !METHODS.contains(match.getMethod())) {
      findings.add(child(path, "method"), "must be an upper-case HTTP method such as GET, got \""
          + match.getMethod() + "\"");
    }
  }

  private static void regex(String value, String field, Findings findings) {
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      findings.add(field, "invalid regular expression \"" + value + "\": " + e.getDescription());
    }
  }
}
