package dev.meshctl.objects.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Says which workloads a policy applies to (selector or targetRef(s)), what it does (action) and when (rules).
 *
 * <p>Enum-like fields stay strings so that a wrong value is reported by the validator with its field path
 * instead of failing the whole document; use {@link #effectiveAction()} after validation. Empty lists are
 * omitted when written and read back as empty lists.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthorizationPolicySpec(
    WorkloadSelector selector,
    PolicyTargetReference targetRef,
    List<PolicyTargetReference> targetRefs,
    String action,
    ExtensionProvider provider,
    List<Rule> rules) {

  /** What a matching policy does. */
  public enum Action {
    ALLOW, DENY, AUDIT, CUSTOM;

    /** Parses an action as written in YAML; empty for an unknown value. */
    public static Optional<Action> parse(String value) {
      for (Action action : values()) {
        if (action.name().equals(value)) {
          return Optional.of(action);
        }
      }
      return Optional.empty();
    }
  }

  public AuthorizationPolicySpec {
    targetRefs = Lists.of(targetRefs);
    rules = Lists.of(rules);
  }

  /** Returns the action, ALLOW when absent (as Istio does). */
  public Action effectiveAction() {
    return action == null ? Action.ALLOW : Action.parse(action).orElseThrow(
        () -> new IllegalStateException("BUG: unvalidated action " + action));
  }

  /** Returns targetRef and targetRefs together. */
  public List<PolicyTargetReference> allTargetRefs() {
    if (targetRef == null) {
      return targetRefs;
    }
    return Stream.concat(Stream.of(targetRef), targetRefs.stream()).toList();
  }

  /** Names the external authorizer of a CUSTOM policy. */
  public record ExtensionProvider(String name) {}

  /** Matches a request when all of its parts (from, to, when) match; an empty part matches anything. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Rule(List<From> from, List<To> to, List<Condition> when) {
    public Rule {
      from = Lists.of(from);
      to = Lists.of(to);
      when = Lists.of(when);
    }
  }

  /** Wraps a source; a rule matches when any of its from entries matches. */
  public record From(Source source) {}

  /** Wraps an operation; a rule matches when any of its to entries matches. */
  public record To(Operation operation) {}

  /** Describes the peer: identity, namespace and addresses (and their negations). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Source(
      List<String> principals,
      List<String> notPrincipals,
      List<String> requestPrincipals,
      List<String> notRequestPrincipals,
      List<String> namespaces,
      List<String> notNamespaces,
      List<String> serviceAccounts,
      List<String> notServiceAccounts,
      List<String> ipBlocks,
      List<String> notIpBlocks,
      List<String> remoteIpBlocks,
      List<String> notRemoteIpBlocks) {
    public Source {
      principals = Lists.of(principals);
      notPrincipals = Lists.of(notPrincipals);
      requestPrincipals = Lists.of(requestPrincipals);
      notRequestPrincipals = Lists.of(notRequestPrincipals);
      namespaces = Lists.of(namespaces);
      notNamespaces = Lists.of(notNamespaces);
      serviceAccounts = Lists.of(serviceAccounts);
      notServiceAccounts = Lists.of(notServiceAccounts);
      ipBlocks = Lists.of(ipBlocks);
      notIpBlocks = Lists.of(notIpBlocks);
      remoteIpBlocks = Lists.of(remoteIpBlocks);
      notRemoteIpBlocks = Lists.of(notRemoteIpBlocks);
    }
  }

  /** Describes the request: hosts, ports, methods and paths (and their negations). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Operation(
      List<String> hosts,
      List<String> notHosts,
      List<String> ports,
      List<String> notPorts,
      List<String> methods,
      List<String> notMethods,
      List<String> paths,
      List<String> notPaths) {
    public Operation {
      hosts = Lists.of(hosts);
      notHosts = Lists.of(notHosts);
      ports = Lists.of(ports);
      notPorts = Lists.of(notPorts);
      methods = Lists.of(methods);
      notMethods = Lists.of(notMethods);
      paths = Lists.of(paths);
      notPaths = Lists.of(notPaths);
    }

    /** Tells whether any HTTP-only field is set, which only a waypoint can enforce. */
    public boolean hasHttpFields() {
      return !hosts.isEmpty() || !notHosts.isEmpty() || !methods.isEmpty() || !notMethods.isEmpty()
          || !paths.isEmpty() || !notPaths.isEmpty();
    }
  }

  /** Adds a condition on a named attribute, e.g. {@code source.ip} or {@code request.headers[x-token]}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Condition(String key, List<String> values, List<String> notValues) {
    public Condition {
      values = Lists.of(values);
      notValues = Lists.of(notValues);
    }
  }
}
