package dev.meshctl.core.rbac;

import static dev.meshctl.core.rbac.Policies.CURL;
import static dev.meshctl.core.rbac.Policies.allow;
import static dev.meshctl.core.rbac.Policies.cidr;
import static dev.meshctl.core.rbac.Policies.clause;
import static dev.meshctl.core.rbac.Policies.deny;
import static dev.meshctl.core.rbac.Policies.fromCurl;
import static dev.meshctl.core.rbac.Policies.match;
import static dev.meshctl.core.rbac.Policies.rule;
import static dev.meshctl.core.rbac.Policies.ruleOfClauses;
import static dev.meshctl.core.rbac.StringMatchers.fromIstio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Rules;
import org.junit.jupiter.api.Test;

class PolicyMatcherTest {

    private static final Match CURL_PRINCIPAL = match().addPrincipals(fromIstio(CURL)).build();
    private static final Match PORT_8080 = match().addDestinationPorts(8080).build();
    private static final Match PORT_9080 = match().addDestinationPorts(9080).build();

    @Test
    void anyRuleMatches() {
        assertThat(PolicyMatcher.matches(allow("p", rule(PORT_8080), rule(PORT_9080)), fromCurl())).isTrue();
    }

    @Test
    void everyClauseOfARuleMustMatch() {
        Rules both = ruleOfClauses(clause(CURL_PRINCIPAL), clause(PORT_8080));
        assertThat(PolicyMatcher.matches(allow("p", both), fromCurl())).isFalse();
        Rules bothOk = ruleOfClauses(clause(CURL_PRINCIPAL), clause(PORT_9080));
        assertThat(PolicyMatcher.matches(allow("p", bothOk), fromCurl())).isTrue();
    }

    @Test
    void anyMatchOfAClauseMatches() {
        assertThat(PolicyMatcher.matches(allow("p", rule(PORT_8080, PORT_9080)), fromCurl())).isTrue();
    }

    @Test
    void emptyRuleMatchesEverything() {
        assertThat(PolicyMatcher.matches(allow("p", Rules.getDefaultInstance()), Policies.plaintext())).isTrue();
    }

    @Test
    void emptyClauseMatchesNothing() {
        Rules r = Rules.newBuilder().addMatches(Clause.getDefaultInstance()).build();
        assertThat(PolicyMatcher.matches(allow("p", r), fromCurl())).isFalse();
    }

    @Test
    void policyWithoutRulesMatchesNothing() {
        assertThat(PolicyMatcher.matches(allow("p"), fromCurl())).isFalse();
        assertThat(PolicyMatcher.matches(deny("p"), fromCurl())).isFalse();
    }

    @Test
    void allowMatchWithHttpFieldsMatchesNothing() {
        Match get = match().addPrincipals(fromIstio(CURL)).addMethods(fromIstio("GET")).build();
        assertThat(PolicyMatcher.hasL7(get)).isTrue();
        assertThat(PolicyMatcher.matches(allow("p", rule(get)), fromCurl())).isFalse();
    }

    @Test
    void allowMatchWithHttpFieldsLeavesOtherMatchesAlone() {
        Match get = match().addMethods(fromIstio("GET")).build();
        assertThat(PolicyMatcher.matches(allow("p", rule(get, CURL_PRINCIPAL)), fromCurl())).isTrue();
    }

    @Test
    void denyMatchWithHttpFieldsMatchesOnItsL4Fields() {
        Match delete = match().addPrincipals(fromIstio(CURL)).addPaths(fromIstio("/admin*")).build();
        assertThat(PolicyMatcher.matches(deny("p", rule(delete)), fromCurl())).isTrue();
        Match other = match().addPrincipals(fromIstio("*/sa/other")).addPaths(fromIstio("/admin*")).build();
        assertThat(PolicyMatcher.matches(deny("p", rule(other)), fromCurl())).isFalse();
    }

    @Test
    void l4OnlyMatchHasNoL7() {
        assertThat(PolicyMatcher.hasL7(CURL_PRINCIPAL)).isFalse();
    }

    @Test
    void malformedBlockThrowsNamingTheValue() {
        Match bad = match().addSourceIps(cidr("10.0.0.300", 8)).build();
        assertThatThrownBy(() -> PolicyMatcher.matches(allow("p", rule(bad)), fromCurl()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.300");
    }
}
