package dev.meshctl.controlplane.translate;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.RequestHeaderMatch;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.Pods;
import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.AuthorizationPolicySpec;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Condition;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.From;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Operation;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Rule;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Source;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.To;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Translates an AuthorizationPolicy into an Authorization for a node agent (L4 only) or a waypoint (L4 and L7).
 *
 * <p>A field the target cannot evaluate follows Istio's rule: it makes an ALLOW rule match nothing (the rule
 * is removed) and is ignored in a DENY rule (which then denies more, never less).
 */
final class AuthorizationTranslator {
  private static final String DRY_RUN = "istio.io/dry-run";

  private final MeshConfig config;
  private final List<String> warnings;

  AuthorizationTranslator(MeshConfig config, List<String> warnings) {
    this.config = config;
    this.warnings = warnings;
  }

  /** Translates a policy without targetRefs for node agents; empty (with a warning) for AUDIT/CUSTOM. */
  Optional<Authorization> forNodeAgent(AuthorizationPolicy policy) {
    AuthorizationPolicySpec spec = spec(policy);
    Map<String, String> selector = spec.selector() == null ? Map.of() : spec.selector().matchLabels();
    String ns = policy.getMetadata().getNamespace();
    Scope scope = !selector.isEmpty() ? Scope.WORKLOAD_SELECTOR
        : ns.equals(config.rootNamespace()) ? Scope.GLOBAL : Scope.NAMESPACE;
    return translate(policy, spec, false).map(b -> b.setScope(scope).putAllSelector(selector).build());
  }

  /** Translates a policy with targetRefs for a waypoint; {@code targetServices} empty means all its traffic. */
  Optional<Authorization> forWaypoint(AuthorizationPolicy policy, Set<String> targetServices) {
    return translate(policy, spec(policy), true)
        .map(b -> b.setScope(Scope.WAYPOINT).addAllTargetServices(new TreeSet<>(targetServices)).build());
  }

  private static AuthorizationPolicySpec spec(AuthorizationPolicy policy) {
    return policy.getSpec() != null ? policy.getSpec()
        : new AuthorizationPolicySpec(null, null, null, null, null, null);
  }

  private Optional<Authorization.Builder> translate(AuthorizationPolicy policy, AuthorizationPolicySpec spec,
      boolean waypoint) {
    String key = MeshModel.key(policy);
    Optional<AuthorizationPolicySpec.Action> parsed = spec.action() == null
        ? Optional.of(AuthorizationPolicySpec.Action.ALLOW) : AuthorizationPolicySpec.Action.parse(spec.action());
    if (parsed.isEmpty() || parsed.get() == AuthorizationPolicySpec.Action.AUDIT
        || parsed.get() == AuthorizationPolicySpec.Action.CUSTOM) {
      warnings.add("AuthorizationPolicy " + key + ": action " + spec.action() + " is not supported (only ALLOW and"
          + " DENY are enforced); the policy is skipped");
      return Optional.empty();
    }
    Action action = parsed.get() == AuthorizationPolicySpec.Action.DENY ? Action.DENY : Action.ALLOW;
    Authorization.Builder out = Authorization.newBuilder()
        .setName(key)
        .setNamespace(policy.getMetadata().getNamespace())
        .setAction(action)
        .setDryRun("true".equalsIgnoreCase(Pods.annotations(policy).get(DRY_RUN)));
    Set<String> l7 = new TreeSet<>();
    for (Rule rule : spec.rules()) {
      RuleTranslation t = new RuleTranslation(waypoint, policy.getMetadata().getNamespace());
      Rules rules = rule == null ? Rules.getDefaultInstance() : t.rule(rule);
      if (!t.unsupported.isEmpty()) {
        warnings.add("AuthorizationPolicy " + key + ": cannot evaluate " + String.join(", ", t.unsupported)
            + (action == Action.ALLOW ? "; that rule matches nothing" : "; that rule ignores it and denies more"));
      }
      l7.addAll(t.l7);
      if (action == Action.ALLOW && !(t.l7.isEmpty() && t.unsupported.isEmpty())) {
        continue;
      }
      out.addRules(rules);
    }
    return Optional.of(out.setHasL7(!l7.isEmpty()).addAllL7Fields(l7));
  }

  /** Translates one rule, recording the fields it had to leave out. */
  private final class RuleTranslation {
    private final boolean waypoint;
    private final String namespace;
    final Set<String> l7 = new TreeSet<>();
    final Set<String> unsupported = new TreeSet<>();

    RuleTranslation(boolean waypoint, String namespace) {
      this.waypoint = waypoint;
      this.namespace = namespace;
    }

    Rules rule(Rule rule) {
      Rules.Builder rules = Rules.newBuilder();
      if (!rule.from().isEmpty()) {
        Clause.Builder clause = Clause.newBuilder();
        for (From from : rule.from()) {
          clause.addMatches(from == null || from.source() == null ? Match.getDefaultInstance() : source(from.source()));
        }
        rules.addMatches(clause);
      }
      if (!rule.to().isEmpty()) {
        Clause.Builder clause = Clause.newBuilder();
        for (To to : rule.to()) {
          clause.addMatches(to == null || to.operation() == null ? Match.getDefaultInstance() : operation(to.operation()));
        }
        rules.addMatches(clause);
      }
      for (Condition when : rule.when()) {
        if (when != null) {
          condition(when).ifPresent(m -> rules.addMatches(Clause.newBuilder().addMatches(m)));
        }
      }
      return rules.build();
    }

    private Match source(Source s) {
      Match.Builder m = Match.newBuilder();
      s.principals().forEach(p -> m.addPrincipals(Matchers.principal(p)));
      s.notPrincipals().forEach(p -> m.addNotPrincipals(Matchers.principal(p)));
      s.serviceAccounts().forEach(sa -> m.addPrincipals(serviceAccount(sa)));
      s.notServiceAccounts().forEach(sa -> m.addNotPrincipals(serviceAccount(sa)));
      s.namespaces().forEach(n -> m.addNamespaces(Matchers.string(n)));
      s.notNamespaces().forEach(n -> m.addNotNamespaces(Matchers.string(n)));
      cidrs("from.source.ipBlocks", s.ipBlocks(), m::addSourceIps);
      cidrs("from.source.notIpBlocks", s.notIpBlocks(), m::addNotSourceIps);
      if (http("from.source.requestPrincipals", s.requestPrincipals())) {
        s.requestPrincipals().forEach(p -> m.addRequestPrincipals(Matchers.string(p)));
      }
      if (http("from.source.notRequestPrincipals", s.notRequestPrincipals())) {
        s.notRequestPrincipals().forEach(p -> m.addNotRequestPrincipals(Matchers.string(p)));
      }
      // The original client address behind proxies: neither proxy is told it, so neither can check it.
      if (!s.remoteIpBlocks().isEmpty()) {
        leaveOut("from.source.remoteIpBlocks");
      }
      if (!s.notRemoteIpBlocks().isEmpty()) {
        leaveOut("from.source.notRemoteIpBlocks");
      }
      return m.build();
    }

    private Match operation(Operation o) {
      Match.Builder m = Match.newBuilder();
      ports("to.operation.ports", o.ports(), m::addDestinationPorts);
      ports("to.operation.notPorts", o.notPorts(), m::addNotDestinationPorts);
      strings("to.operation.hosts", o.hosts(), Matchers::string, m::addHosts);
      strings("to.operation.notHosts", o.notHosts(), Matchers::string, m::addNotHosts);
      strings("to.operation.methods", o.methods(), Matchers::string, m::addMethods);
      strings("to.operation.notMethods", o.notMethods(), Matchers::string, m::addNotMethods);
      strings("to.operation.paths", o.paths(), Matchers::string, m::addPaths);
      strings("to.operation.notPaths", o.notPaths(), Matchers::string, m::addNotPaths);
      return m.build();
    }

    // Empty when the condition was left out: a clause that is absent matches, as an ignored DENY part should.
    private Optional<Match> condition(Condition c) {
      String key = c.key() == null ? "" : c.key();
      String field = "when." + key;
      Match.Builder m = Match.newBuilder();
      int before = l7.size() + unsupported.size();
      switch (key) {
        case "source.ip" -> {
          cidrs(field, c.values(), m::addSourceIps);
          cidrs(field, c.notValues(), m::addNotSourceIps);
        }
        case "destination.ip" -> {
          cidrs(field, c.values(), m::addDestinationIps);
          cidrs(field, c.notValues(), m::addNotDestinationIps);
        }
        case "source.namespace" -> {
          c.values().forEach(v -> m.addNamespaces(Matchers.string(v)));
          c.notValues().forEach(v -> m.addNotNamespaces(Matchers.string(v)));
        }
        case "source.principal" -> {
          c.values().forEach(v -> m.addPrincipals(Matchers.principal(v)));
          c.notValues().forEach(v -> m.addNotPrincipals(Matchers.principal(v)));
        }
        case "destination.port" -> {
          ports(field, c.values(), m::addDestinationPorts);
          ports(field, c.notValues(), m::addNotDestinationPorts);
        }
        case "request.auth.principal" -> {
          strings(field, c.values(), Matchers::string, m::addRequestPrincipals);
          strings(field, c.notValues(), Matchers::string, m::addNotRequestPrincipals);
        }
        default -> {
          if (key.startsWith("request.headers[") && key.endsWith("]") && key.length() > "request.headers[]".length()) {
            if (http(field, List.of(key))) {
              RequestHeaderMatch.Builder h = RequestHeaderMatch.newBuilder()
                  .setName(key.substring("request.headers[".length(), key.length() - 1));
              c.values().forEach(v -> h.addValues(Matchers.string(v)));
              c.notValues().forEach(v -> h.addNotValues(Matchers.string(v)));
              m.addRequestHeaders(h);
            }
          } else if (key.startsWith("request.") || key.startsWith("connection.") || key.startsWith("experimental.")) {
            leaveOut(field);
          } else {
            unsupported.add(field);
          }
        }
      }
      return l7.size() + unsupported.size() > before ? Optional.empty() : Optional.of(m.build());
    }

    private StringMatch serviceAccount(String value) {
      int slash = value.indexOf('/');
      String ns = slash < 0 ? namespace : value.substring(0, slash);
      String sa = slash < 0 ? value : value.substring(slash + 1);
      return StringMatch.newBuilder().setExact(config.trustDomain() + "/ns/" + ns + "/sa/" + sa).build();
    }

    private void cidrs(String field, List<String> values, Consumer<Cidr> add) {
      List<Optional<Cidr>> parsed = values.stream().map(v -> v == null ? Optional.<Cidr>empty() : Matchers.cidr(v)).toList();
      if (parsed.stream().anyMatch(Optional::isEmpty)) {
        unsupported.add(field + " (not an IP address or CIDR: " + values + ")");
        return;
      }
      parsed.forEach(c -> add.accept(c.get()));
    }

    private void ports(String field, List<String> values, Consumer<Integer> add) {
      List<Optional<Integer>> parsed = values.stream().map(v -> v == null ? Optional.<Integer>empty() : Matchers.port(v)).toList();
      if (parsed.stream().anyMatch(Optional::isEmpty)) {
        unsupported.add(field + " (not a port number: " + values + ")");
        return;
      }
      parsed.forEach(p -> add.accept(p.get()));
    }

    private void strings(String field, List<String> values, Function<String, StringMatch> convert,
        Consumer<StringMatch> add) {
      if (http(field, values)) {
        values.forEach(v -> add.accept(convert.apply(v)));
      }
    }

    // Tells whether an HTTP-level field may be emitted; records it as left out for a node agent.
    private boolean http(String field, List<String> values) {
      if (values.isEmpty()) {
        return false;
      }
      if (!waypoint) {
        l7.add(field);
        return false;
      }
      return true;
    }

    private void leaveOut(String field) {
      if (waypoint) {
        unsupported.add(field);
      } else {
        l7.add(field);
      }
    }
  }
}
