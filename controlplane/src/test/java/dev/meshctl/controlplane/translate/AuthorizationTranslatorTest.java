package dev.meshctl.controlplane.translate;

import static dev.meshctl.controlplane.model.MeshFixtures.labels;
import static dev.meshctl.controlplane.model.MeshFixtures.policy;
import static dev.meshctl.controlplane.model.MeshFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Condition;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.From;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Operation;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Rule;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Source;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.To;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizationTranslatorTest {
  private final List<String> warnings = new ArrayList<>();
  private final AuthorizationTranslator translator = new AuthorizationTranslator(MeshConfig.defaults(), warnings);

  static Source principals(String... p) {
    return new Source(List.of(p), null, null, null, null, null, null, null, null, null, null, null);
  }

  static Rule from(Source s) {
    return new Rule(List.of(new From(s)), null, null);
  }

  static Operation op(List<String> ports, List<String> methods, List<String> paths) {
    return new Operation(null, null, ports, null, methods, null, paths, null);
  }

  static Rule to(Operation o) {
    return new Rule(null, List.of(new To(o)), null);
  }

  private Authorization nodeAgent(String ns, dev.meshctl.objects.istio.AuthorizationPolicySpec spec) {
    return translator.forNodeAgent(policy(ns, "p", spec)).orElseThrow();
  }

  @ParameterizedTest(name = "{0} selector={1} -> {2}")
  @CsvSource({
      "istio-system, false, GLOBAL",
      "istio-system, true,  WORKLOAD_SELECTOR",
      "apps,         false, NAMESPACE",
      "apps,         true,  WORKLOAD_SELECTOR",
  })
  void scopeFollowsNamespaceAndSelector(String ns, boolean selector, Scope scope) {
    Authorization a = nodeAgent(ns, spec(selector ? labels("app", "reviews") : null, null));
    assertThat(a.getScope()).isEqualTo(scope);
    assertThat(a.getName()).isEqualTo(ns + "/p");
    assertThat(a.getNamespace()).isEqualTo(ns);
    assertThat(a.getSelectorMap()).isEqualTo(selector ? labels("app", "reviews") : java.util.Map.of());
  }

  @Test
  void principalsWithAndWithoutSpiffePrefixAndWildcards() {
    Authorization a = nodeAgent("apps", spec(null, "ALLOW",
        from(principals("spiffe://cluster.local/ns/apps/sa/curl", "cluster.local/ns/apps/sa/web", "*", "*/sa/x",
            "cluster.local/ns/apps/*"))));
    Match m = a.getRules(0).getMatches(0).getMatches(0);
    assertThat(m.getPrincipalsList()).containsExactly(
        StringMatch.newBuilder().setExact("cluster.local/ns/apps/sa/curl").build(),
        StringMatch.newBuilder().setExact("cluster.local/ns/apps/sa/web").build(),
        StringMatch.newBuilder().setPresence(true).build(),
        StringMatch.newBuilder().setSuffix("/sa/x").build(),
        StringMatch.newBuilder().setPrefix("cluster.local/ns/apps/").build());
    assertThat(a.getAction()).isEqualTo(Action.ALLOW);
    assertThat(a.getHasL7()).isFalse();
  }

  @Test
  void sourceNamespacesIpBlocksPortsAndWhenConditions() {
    Source s = new Source(null, null, null, null, List.of("apps"), List.of("kube-system"), List.of("other/sa1"), null,
        List.of("10.0.0.0/16", "10.1.2.3"), List.of("10.0.9.0/24"), null, null);
    Rule rule = new Rule(List.of(new From(s)), List.of(new To(op(List.of("9080"), null, null))), List.of(
        new Condition("destination.port", List.of("8080"), List.of("8081")),
        new Condition("source.principal", List.of("spiffe://cluster.local/ns/a/sa/b"), null),
        new Condition("source.ip", null, List.of("192.168.0.0/16"))));
    Authorization a = nodeAgent("apps", spec(null, "DENY", rule));
    assertThat(a.getAction()).isEqualTo(Action.DENY);
    var clauses = a.getRules(0).getMatchesList();
    assertThat(clauses).hasSize(5);
    Match src = clauses.get(0).getMatches(0);
    assertThat(src.getNamespacesList()).extracting(StringMatch::getExact).containsExactly("apps");
    assertThat(src.getNotNamespacesList()).extracting(StringMatch::getExact).containsExactly("kube-system");
    assertThat(src.getPrincipalsList()).extracting(StringMatch::getExact).containsExactly("cluster.local/ns/other/sa/sa1");
    assertThat(src.getSourceIpsList()).containsExactly(cidr("10.0.0.0", 16), cidr("10.1.2.3", 32));
    assertThat(src.getNotSourceIpsList()).containsExactly(cidr("10.0.9.0", 24));
    assertThat(clauses.get(1).getMatches(0).getDestinationPortsList()).containsExactly(9080);
    assertThat(clauses.get(2).getMatches(0).getDestinationPortsList()).containsExactly(8080);
    assertThat(clauses.get(2).getMatches(0).getNotDestinationPortsList()).containsExactly(8081);
    assertThat(clauses.get(3).getMatches(0).getPrincipalsList()).extracting(StringMatch::getExact)
        .containsExactly("cluster.local/ns/a/sa/b");
    assertThat(clauses.get(4).getMatches(0).getNotSourceIpsList()).containsExactly(cidr("192.168.0.0", 16));
  }

  @Test
  void l7AllowRuleMatchesNothingAtTheNodeAgentButL4RulesStay() {
    Rule l7 = new Rule(List.of(new From(principals("cluster.local/ns/apps/sa/curl"))),
        List.of(new To(op(null, List.of("GET"), List.of("/api/*")))), null);
    Rule l4 = from(principals("cluster.local/ns/apps/sa/admin"));
    Authorization a = nodeAgent("apps", spec(null, "ALLOW", l7, l4));
    assertThat(a.getHasL7()).isTrue();
    assertThat(a.getL7FieldsList()).containsExactly("to.operation.methods", "to.operation.paths");
    assertThat(a.getRulesList()).hasSize(1);
    assertThat(a.getRules(0).getMatches(0).getMatches(0).getPrincipals(0).getExact())
        .isEqualTo("cluster.local/ns/apps/sa/admin");
  }

  @Test
  void l7DenyRuleKeepsItsL4Part() {
    Rule rule = new Rule(List.of(new From(principals("cluster.local/ns/apps/sa/curl"))),
        List.of(new To(op(List.of("9080"), List.of("DELETE"), null))),
        List.of(new Condition("request.headers[x-token]", List.of("secret"), null)));
    Authorization a = nodeAgent("apps", spec(null, "DENY", rule));
    assertThat(a.getHasL7()).isTrue();
    assertThat(a.getL7FieldsList()).containsExactly("to.operation.methods", "when.request.headers[x-token]");
    assertThat(a.getRulesList()).hasSize(1);
    var clauses = a.getRules(0).getMatchesList();
    assertThat(clauses).hasSize(2);
    assertThat(clauses.get(1).getMatches(0)).isEqualTo(Match.newBuilder().addDestinationPorts(9080).build());
  }

  @Test
  void waypointKeepsHttpFields() {
    Rule rule = new Rule(null, List.of(new To(new Operation(List.of("reviews.apps.svc.cluster.local"), null, null,
        null, List.of("GET"), List.of("DELETE"), List.of("/api/*"), null))),
        List.of(new Condition("request.headers[x-user]", List.of("admin"), List.of("guest"))));
    Authorization a = translator.forWaypoint(policy("apps", "p", spec(null, "ALLOW", rule)),
        Set.of("apps/reviews.apps.svc.cluster.local")).orElseThrow();
    assertThat(a.getScope()).isEqualTo(Scope.WAYPOINT);
    assertThat(a.getTargetServicesList()).containsExactly("apps/reviews.apps.svc.cluster.local");
    assertThat(a.getHasL7()).isFalse();
    Match op = a.getRules(0).getMatches(0).getMatches(0);
    assertThat(op.getMethodsList()).extracting(StringMatch::getExact).containsExactly("GET");
    assertThat(op.getNotMethodsList()).extracting(StringMatch::getExact).containsExactly("DELETE");
    assertThat(op.getPathsList()).extracting(StringMatch::getPrefix).containsExactly("/api/");
    assertThat(op.getHostsList()).extracting(StringMatch::getExact).containsExactly("reviews.apps.svc.cluster.local");
    var header = a.getRules(0).getMatches(1).getMatches(0).getRequestHeaders(0);
    assertThat(header.getName()).isEqualTo("x-user");
    assertThat(header.getValues(0).getExact()).isEqualTo("admin");
    assertThat(header.getNotValues(0).getExact()).isEqualTo("guest");
  }

  @Test
  void allowWithNoRulesAllowsNothingAndAnEmptyRuleMatchesEverything() {
    Authorization nothing = nodeAgent("apps", spec(null, "ALLOW", (Rule[]) null));
    assertThat(nothing.getRulesList()).isEmpty();
    Authorization everything = nodeAgent("apps", spec(null, "ALLOW", new Rule(null, null, null)));
    assertThat(everything.getRulesList()).containsExactly(dev.meshctl.api.mesh.Rules.getDefaultInstance());
  }

  @ParameterizedTest
  @CsvSource({"AUDIT", "CUSTOM", "BOGUS"})
  void unsupportedActionsAreSkippedWithAWarning(String action) {
    assertThat(translator.forNodeAgent(policy("apps", "p", spec(null, action)))).isEmpty();
    assertThat(warnings).singleElement().asString().contains("apps/p").contains(action).contains("skipped");
  }

  @Test
  void malformedValuesFailClosedWithAWarning() {
    Source bad = new Source(null, null, null, null, null, null, null, null, List.of("not-an-ip"), null, null, null);
    Authorization allow = nodeAgent("apps", spec(null, "ALLOW", from(bad)));
    assertThat(allow.getRulesList()).as("the ALLOW rule matches nothing").isEmpty();
    Authorization deny = nodeAgent("apps", spec(null, "DENY", from(bad)));
    assertThat(deny.getRules(0).getMatches(0).getMatches(0)).as("the DENY rule ignores the field")
        .isEqualTo(Match.getDefaultInstance());
    assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).contains("ipBlocks").contains("not-an-ip"));
  }

  @Test
  void unknownWhenKeyIsUnsupportedEverywhere() {
    Rule rule = new Rule(null, null, List.of(new Condition("source.color", List.of("blue"), null)));
    assertThat(nodeAgent("apps", spec(null, "ALLOW", rule)).getRulesList()).isEmpty();
    assertThat(warnings).singleElement().asString().contains("when.source.color");
  }

  @Test
  void dryRunAnnotationIsCarried() {
    var p = policy("apps", "p", spec(null, "DENY"));
    p.getMetadata().setAnnotations(java.util.Map.of("istio.io/dry-run", "true"));
    assertThat(translator.forNodeAgent(p).orElseThrow().getDryRun()).isTrue();
  }

  private static Cidr cidr(String address, int length) {
    return Cidr.newBuilder().setAddress(address).setLength(length).build();
  }
}
