package dev.meshctl.objects.validation;

import static dev.meshctl.objects.FieldPath.child;
import static dev.meshctl.objects.FieldPath.index;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.AuthorizationPolicySpec;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Action;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Condition;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.From;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Operation;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Rule;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Source;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.To;
import dev.meshctl.objects.istio.PolicyTargetReference;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Checks AuthorizationPolicies the way Istio's validation webhook does, for the fields meshctl understands. */
public final class AuthorizationPolicyRules {
  private static final Set<String> PLAIN_KEYS = Set.of("source.ip", "source.namespace", "source.principal",
      "source.serviceAccount", "destination.ip", "destination.port", "connection.sni", "remote.ip",
      "request.auth.principal", "request.auth.audiences", "request.auth.presenter");
  private static final Pattern HEADER_KEY = Pattern.compile("request\\.headers\\[[^\\[\\]]+]");
  private static final Pattern CLAIM_KEY = Pattern.compile("request\\.auth\\.claims(\\[[^\\[\\]]+])+");
  private static final Set<String> TARGET_KINDS = Set.of("Gateway", "Service", "GatewayClass", "ServiceEntry");

  private AuthorizationPolicyRules() {}

  /** Checks an AuthorizationPolicy. */
  public static void policy(AuthorizationPolicy policy, Findings findings) {
    AuthorizationPolicySpec spec = policy.getSpec();
    if (spec == null) {
      return; // An empty spec is Istio's "allow nothing" for the namespace: valid.
    }
    Action action = Action.ALLOW;
    if (spec.action() != null) {
      action = Action.parse(spec.action()).orElse(null);
      if (action == null) {
        findings.add("spec.action", "must be ALLOW, DENY, AUDIT or CUSTOM, got \"" + spec.action() + "\"");
      }
    }
    if (action == Action.CUSTOM && (spec.provider() == null || blank(spec.provider().name()))) {
      findings.add("spec.provider.name", "required when action is CUSTOM; name the extension provider");
    }
    if (action != Action.CUSTOM && action != null && spec.provider() != null) {
      findings.add("spec.provider", "only allowed with action CUSTOM, but action is " + action);
    }
    if (spec.selector() != null && (spec.targetRef() != null || !spec.targetRefs().isEmpty())) {
      findings.add("spec.selector", "use either selector or targetRef(s), not both");
    }
    if (spec.targetRef() != null && !spec.targetRefs().isEmpty()) {
      findings.add("spec.targetRef", "use either targetRef or targetRefs, not both");
    }
    if (spec.selector() != null) {
      MetadataRules.labels(spec.selector().matchLabels(), "spec.selector.matchLabels", findings);
    }
    if (spec.targetRef() != null) {
      targetRef(spec.targetRef(), "spec.targetRef", findings);
    }
    for (int i = 0; i < spec.targetRefs().size(); i++) {
      if (findings.notNull("spec.targetRefs", i, spec.targetRefs().get(i))) {
        targetRef(spec.targetRefs().get(i), index("spec.targetRefs", i), findings);
      }
    }
    for (int i = 0; i < spec.rules().size(); i++) {
      if (findings.notNull("spec.rules", i, spec.rules().get(i))) {
        rule(spec.rules().get(i), index("spec.rules", i), action, findings);
      }
    }
  }

  static void targetRef(PolicyTargetReference ref, String path, Findings findings) {
    if (blank(ref.kind())) {
      findings.required(child(path, "kind"));
    } else if (!TARGET_KINDS.contains(ref.kind())) {
      findings.add(child(path, "kind"), "must be Gateway, GatewayClass, Service or ServiceEntry, got \""
          + ref.kind() + "\"");
    } else {
      String expectedGroup = ref.kind().startsWith("Gateway") ? "gateway.networking.k8s.io"
          : ref.kind().equals("ServiceEntry") ? "networking.istio.io" : "";
      String group = ref.group() == null ? "" : ref.group();
      if (!group.equals(expectedGroup)) {
        findings.add(child(path, "group"), "must be \"" + expectedGroup + "\" for kind " + ref.kind()
            + ", got \"" + group + "\"");
      }
    }
    if (blank(ref.name())) {
      findings.required(child(path, "name"));
    }
  }

  private static void rule(Rule rule, String path, Action action, Findings findings) {
    for (int i = 0; i < rule.from().size(); i++) {
      From from = rule.from().get(i);
      String fromPath = index(child(path, "from"), i);
      if (findings.notNull(child(path, "from"), i, from)) {
        if (from.source() == null) {
          findings.add(child(fromPath, "source"), "required; a from entry needs a source");
        } else {
          source(from.source(), child(fromPath, "source"), findings);
        }
      }
    }
    for (int i = 0; i < rule.to().size(); i++) {
      To to = rule.to().get(i);
      String toPath = index(child(path, "to"), i);
      if (findings.notNull(child(path, "to"), i, to)) {
        if (to.operation() == null) {
          findings.add(child(toPath, "operation"), "required; a to entry needs an operation");
        } else {
          operation(to.operation(), child(toPath, "operation"), findings);
        }
      }
    }
    for (int i = 0; i < rule.when().size(); i++) {
      if (findings.notNull(child(path, "when"), i, rule.when().get(i))) {
        condition(rule.when().get(i), index(child(path, "when"), i), findings);
      }
    }
  }

  private static void source(Source source, String path, Findings findings) {
    List<List<String>> all = List.of(source.principals(), source.notPrincipals(), source.requestPrincipals(),
        source.notRequestPrincipals(), source.namespaces(), source.notNamespaces(), source.serviceAccounts(),
        source.notServiceAccounts(), source.ipBlocks(), source.notIpBlocks(), source.remoteIpBlocks(),
        source.notRemoteIpBlocks());
    if (all.stream().allMatch(List::isEmpty)) {
      findings.add(path, "must set at least one field (principals, namespaces, ipBlocks, ...)");
    }
    BiConsumer<String, String> wildcard = (field, value) -> {
      long stars = value.chars().filter(c -> c == '*').count();
      boolean ok = stars == 0 || value.equals("*")
          || stars == 1 && (value.startsWith("*") || value.endsWith("*"));
      if (!ok) {
        findings.add(field, "\"" + value + "\": '*' is only allowed as a prefix or suffix");
      }
    };
    strings(source.principals(), child(path, "principals"), findings, wildcard);
    strings(source.notPrincipals(), child(path, "notPrincipals"), findings, wildcard);
    strings(source.requestPrincipals(), child(path, "requestPrincipals"), findings, wildcard);
    strings(source.notRequestPrincipals(), child(path, "notRequestPrincipals"), findings, wildcard);
    strings(source.namespaces(), child(path, "namespaces"), findings, wildcard);
    strings(source.notNamespaces(), child(path, "notNamespaces"), findings, wildcard);
    strings(source.serviceAccounts(), child(path, "serviceAccounts"), findings, (f, v) -> serviceAccount(f, v,
        findings));
    strings(source.notServiceAccounts(), child(path, "notServiceAccounts"), findings, (f, v) -> serviceAccount(f,
        v, findings));
    BiConsumer<String, String> cidr = (field, value) ->
        Addresses.ipOrCidr(value).ifPresent(m -> findings.add(field, m));
    strings(source.ipBlocks(), child(path, "ipBlocks"), findings, cidr);
    strings(source.notIpBlocks(), child(path, "notIpBlocks"), findings, cidr);
    strings(source.remoteIpBlocks(), child(path, "remoteIpBlocks"), findings, cidr);
    strings(source.notRemoteIpBlocks(), child(path, "notRemoteIpBlocks"), findings, cidr);
  }

  private static void serviceAccount(String field, String value, Findings findings) {
    String[] parts = value.split("/", -1);
    if (value.contains("*") || parts.length > 2 || parts[parts.length - 1].isEmpty()) {
      findings.add(field, "\"" + value + "\" must be \"<namespace>/<name>\" or \"<name>\", without wildcards");
    }
  }

  private static void operation(Operation operation, String path, Findings findings) {
    List<List<String>> all = List.of(operation.hosts(), operation.notHosts(), operation.ports(),
        operation.notPorts(), operation.methods(), operation.notMethods(), operation.paths(), operation.notPaths());
    if (all.stream().allMatch(List::isEmpty)) {
      findings.add(path, "must set at least one field (ports, methods, paths, hosts, ...)");
    }
    BiConsumer<String, String> port = (field, value) -> portString(field, value, findings);
    BiConsumer<String, String> any = (field, value) -> { };
    strings(operation.ports(), child(path, "ports"), findings, port);
    strings(operation.notPorts(), child(path, "notPorts"), findings, port);
    strings(operation.hosts(), child(path, "hosts"), findings, any);
    strings(operation.notHosts(), child(path, "notHosts"), findings, any);
    strings(operation.methods(), child(path, "methods"), findings, any);
    strings(operation.notMethods(), child(path, "notMethods"), findings, any);
    strings(operation.paths(), child(path, "paths"), findings, any);
    strings(operation.notPaths(), child(path, "notPaths"), findings, any);
  }

  private static void condition(Condition condition, String path, Findings findings) {
    String key = condition.key();
    if (blank(key)) {
      findings.required(child(path, "key"));
    } else if (!PLAIN_KEYS.contains(key) && !HEADER_KEY.matcher(key).matches()
        && !CLAIM_KEY.matcher(key).matches()) {
      findings.add(child(path, "key"), "unsupported key \"" + key + "\"; supported: " + String.join(", ",
          PLAIN_KEYS.stream().sorted().toList()) + ", request.headers[<name>], request.auth.claims[<claim>]");
    }
    if (condition.values().isEmpty() && condition.notValues().isEmpty()) {
      findings.add(path, "must set values or notValues");
    }
    BiConsumer<String, String> check = (field, value) -> {
      if ("destination.port".equals(key)) {
        portString(field, value, findings);
      } else if ("source.ip".equals(key) || "destination.ip".equals(key) || "remote.ip".equals(key)) {
        Addresses.ipOrCidr(value).ifPresent(m -> findings.add(field, m));
      }
    };
    strings(condition.values(), child(path, "values"), findings, check);
    strings(condition.notValues(), child(path, "notValues"), findings, check);
  }

  private static void portString(String field, String value, Findings findings) {
    try {
      findings.port(field, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      findings.add(field, "must be a port number between 1 and 65535 written as a string, e.g. \"8080\","
          + " got \"" + value + "\"");
    }
  }

  private static void strings(List<String> values, String path, Findings findings, BiConsumer<String, String> check) {
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null || value.isEmpty()) {
        findings.add(index(path, i), "must not be empty");
      } else {
        check.accept(index(path, i), value);
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
