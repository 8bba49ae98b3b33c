package dev.meshctl.core.rbac;

import static dev.meshctl.core.rbac.Policies.CURL;
import static dev.meshctl.core.rbac.Policies.allow;
import static dev.meshctl.core.rbac.Policies.cidr;
import static dev.meshctl.core.rbac.Policies.conn;
import static dev.meshctl.core.rbac.Policies.deny;
import static dev.meshctl.core.rbac.Policies.fromCurl;
import static dev.meshctl.core.rbac.Policies.match;
import static dev.meshctl.core.rbac.Policies.plaintext;
import static dev.meshctl.core.rbac.Policies.policy;
import static dev.meshctl.core.rbac.Policies.rule;
import static dev.meshctl.core.rbac.StringMatchers.fromIstio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizerTest {

    private static final Rules FROM_CURL = rule(match().addPrincipals(fromIstio(CURL)).build());
    private static final Rules FROM_OTHER_NS = rule(match().addNotNamespaces(fromIstio("default")).build());
    private static final Rules ANY = Rules.getDefaultInstance();

    @Test
    void noPoliciesAllow() {
        Decision d = Authorizer.evaluate(fromCurl(), List.of());
        assertThat(d.allowed()).isTrue();
        assertThat(d.policy()).isNull();
        assertThat(d.reason()).isEqualTo("no ALLOW policy applies");
    }

    @Test
    void matchingDenyDenies() {
        Decision d = Authorizer.evaluate(conn("cluster.local/ns/prod/sa/x", "10.244.1.5", 80),
                List.of(deny("deny-other-ns", FROM_OTHER_NS)));
        assertThat(d.allowed()).isFalse();
        assertThat(d.policy()).isEqualTo("default/deny-other-ns");
        assertThat(d.reason()).isEqualTo("denied by default/deny-other-ns");
        assertThat(d).hasToString("DENY: denied by default/deny-other-ns");
    }

    @Test
    void nonMatchingDenyAloneAllows() {
        Decision d = Authorizer.evaluate(fromCurl(), List.of(deny("deny-other-ns", FROM_OTHER_NS)));
        assertThat(d.allowed()).isTrue();
        assertThat(d.reason()).isEqualTo("no ALLOW policy applies");
    }

    @Test
    void denyWinsOverAllow() {
        Decision d = Authorizer.evaluate(fromCurl(), List.of(allow("a-allow-curl", FROM_CURL), deny("z-deny-all", ANY)));
        assertThat(d.allowed()).isFalse();
        assertThat(d.policy()).isEqualTo("default/z-deny-all");
    }

    @Test
    void matchingAllowAllows() {
        Decision d = Authorizer.evaluate(fromCurl(), List.of(allow("allow-curl", FROM_CURL)));
        assertThat(d).isEqualTo(new Decision(true, "default/allow-curl", "allowed by default/allow-curl"));
    }

    @Test
    void allowThatAppliesButDoesNotMatchDenies() {
        Decision d = Authorizer.evaluate(plaintext(), List.of(allow("allow-curl", FROM_CURL)));
        assertThat(d).isEqualTo(new Decision(false, null, "no ALLOW policy matched"));
    }

    @Test
    void allowWithoutRulesDeniesEverything() {
        Decision d = Authorizer.evaluate(fromCurl(), List.of(allow("allow-nothing")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("no ALLOW policy matched");
    }

    @Test
    void firstDenyByNameIsReported() {
        Decision d = Authorizer.evaluate(fromCurl(), List.of(deny("b", ANY), deny("a", ANY)));
        assertThat(d.policy()).isEqualTo("default/a");
    }

    @Test
    void globalPolicyAppliesInEveryNamespace() {
        Authorization root = policy("istio-system", "deny-all", Action.DENY, ANY).setScope(Scope.GLOBAL).build();
        assertThat(Authorizer.evaluate(fromCurl(), List.of(root)).reason()).isEqualTo("denied by istio-system/deny-all");
    }

    @Test
    void globalPolicyWithSelectorAppliesToMatchingWorkloadsOnly() {
        Authorization root = policy("istio-system", "deny-ratings", Action.DENY, ANY).setScope(Scope.GLOBAL)
                .putSelector("app", "ratings").build();
        assertThat(Authorizer.evaluate(fromCurl(), List.of(root)).allowed()).isTrue();
    }

    @Test
    void namespacePolicyOfAnotherNamespaceDoesNotApply() {
        Authorization other = policy("prod", "allow-nothing", Action.ALLOW).build();
        assertThat(Authorizer.evaluate(fromCurl(), List.of(other)).allowed()).isTrue();
    }

    @Test
    void selectorPolicyAppliesWhenEveryLabelMatches() {
        Authorization reviews = policy("default", "allow-curl", Action.ALLOW, FROM_CURL)
                .setScope(Scope.WORKLOAD_SELECTOR).putSelector("app", "reviews").putSelector("version", "v1").build();
        assertThat(Authorizer.evaluate(plaintext(), List.of(reviews)).allowed()).isFalse();
        assertThat(Authorizer.evaluate(fromCurl(), List.of(reviews)).allowed()).isTrue();
    }

    @Test
    void selectorPolicyWithOtherLabelsDoesNotApply() {
        Authorization v2 = policy("default", "allow-nothing", Action.ALLOW)
                .setScope(Scope.WORKLOAD_SELECTOR).putSelector("app", "reviews").putSelector("version", "v2").build();
        assertThat(Authorizer.evaluate(plaintext(), List.of(v2)).reason()).isEqualTo("no ALLOW policy applies");
    }

    @Test
    void selectorPolicyInAnotherNamespaceDoesNotApply() {
        Authorization prod = policy("prod", "allow-nothing", Action.ALLOW)
                .setScope(Scope.WORKLOAD_SELECTOR).putSelector("app", "reviews").build();
        assertThat(Authorizer.evaluate(plaintext(), List.of(prod)).allowed()).isTrue();
    }

    @Test
    void waypointPolicyIsNotEnforcedByWorkload() {
        Authorization wp = policy("default", "deny-all", Action.DENY, ANY).setScope(Scope.WAYPOINT).build();
        assertThat(Authorizer.evaluate(fromCurl(), List.of(wp)).allowed()).isTrue();
        assertThat(Authorizer.evaluateSelected(fromCurl(), List.of(wp)).allowed()).isFalse();
    }

    @Test
    void strictPeerAuthenticationDeniesPlaintextOnly() {
        Authorization strict = policy("istio-system", "converted/strict", Action.DENY,
                rule(match().addNotPrincipals(fromIstio("*")).build())).setScope(Scope.GLOBAL).build();
        Decision plain = Authorizer.evaluate(plaintext(), List.of(strict));
        assertThat(plain.allowed()).isFalse();
        assertThat(plain.reason()).isEqualTo("denied by istio-system/converted/strict");
        assertThat(Authorizer.evaluate(fromCurl(), List.of(strict)).allowed()).isTrue();
    }

    @Test
    void strictExemptionByDestinationIpLetsPlaintextThrough() {
        Authorization strict = policy("istio-system", "converted/strict", Action.DENY,
                rule(match().addNotPrincipals(fromIstio("*")).addNotDestinationIps(cidr("10.244.2.7", 32)).build()))
                .setScope(Scope.GLOBAL).build();
        assertThat(Authorizer.evaluate(plaintext(), List.of(strict)).allowed()).isTrue();
    }

    @Test
    void allowWhoseHttpRulesWereRemovedFailsClosedAndSaysWhy() {
        Authorization get = policy("default", "allow-get", Action.ALLOW).setHasL7(true)
                .addL7Fields("to.operation.methods").build();
        Decision d = Authorizer.evaluate(fromCurl(), List.of(get));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).startsWith("no ALLOW policy matched; default/allow-get has HTTP rules")
                .contains("to.operation.methods").contains("waypoint");
    }

    @Test
    void allowWithHttpFieldThatSlipsThroughFailsClosed() {
        Authorization get = allow("allow-get", rule(match().addPrincipals(fromIstio(CURL)).addMethods(fromIstio("GET"))
                .build()));
        assertThat(Authorizer.evaluate(fromCurl(), List.of(get)).allowed()).isFalse();
    }

    @Test
    void allowKeepsItsL4RulesBesideRemovedHttpOnes() {
        Authorization mixed = policy("default", "allow-mixed", Action.ALLOW, FROM_CURL).setHasL7(true).build();
        assertThat(Authorizer.evaluate(fromCurl(), List.of(mixed)).allowed()).isTrue();
    }

    @Test
    void denyWithHttpRulesDeniesOnItsL4Part() {
        Authorization delete = policy("default", "deny-delete", Action.DENY, FROM_CURL).setHasL7(true)
                .addL7Fields("to.operation.methods").build();
        Decision d = Authorizer.evaluate(fromCurl(), List.of(delete));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("denied by default/deny-delete (HTTP conditions not checked: to.operation.methods)");
    }

    @Test
    void dryRunPoliciesDoNotDecide() {
        Authorization dryDeny = policy("default", "deny-all", Action.DENY, ANY).setDryRun(true).build();
        Authorization dryAllow = policy("default", "allow-nothing", Action.ALLOW).setDryRun(true).build();
        Decision d = Authorizer.evaluate(fromCurl(), List.of(dryDeny, dryAllow));
        assertThat(d.allowed()).isTrue();
        assertThat(d.reason()).isEqualTo("no ALLOW policy applies");
    }

    @Test
    void malformedDenyDeniesEverything() {
        Authorization bad = deny("bad", rule(match().addSourceIps(cidr("not-an-ip", 8)).build()));
        Decision d = Authorizer.evaluate(fromCurl(), List.of(bad));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).startsWith("denied by default/bad (the policy is malformed").contains("not-an-ip");
    }

    @Test
    void malformedAllowAllowsNothing() {
        Authorization bad = allow("bad", rule(match().addSourceIps(cidr("10.0.0.0", 40)).build()));
        Decision d = Authorizer.evaluate(fromCurl(), List.of(bad));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("default/bad is malformed").contains("40");
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThatNullPointerException().isThrownBy(() -> Authorizer.evaluate(null, List.of())).withMessage("connection");
        assertThatNullPointerException().isThrownBy(() -> Authorizer.evaluate(fromCurl(), null)).withMessage("all");
    }
}
