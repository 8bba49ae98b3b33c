package dev.meshctl.waypoint.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.RequestHeaderMatch;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.RequestsAccess;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class L7AuthorizerTest {

    static Authorization policy(Action action, Match m, String... targets) {
        return Authorization.newBuilder().setName(action.name().toLowerCase()).setNamespace("default")
                .setScope(Scope.WAYPOINT).setAction(action).addAllTargetServices(List.of(targets))
                .addRules(Rules.newBuilder().addMatches(Clause.newBuilder().addMatches(m))).build();
    }

    static StringMatch exact(String v) {
        return StringMatch.newBuilder().setExact(v).build();
    }

    static ProxyRequest req(String method, String uri) {
        return RequestsAccess.of(method, uri, new DefaultHttpHeaders());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/admin, /admin", "//admin, /admin", "/a/../admin, /admin", "/%2Fadmin, /admin", "/%2fadmin, /admin",
            "/./admin/, /admin/", "/../../admin, /admin", "/a%5C..%5Cadmin, /admin", "/%2E%2E/admin, /admin",
            "/x%25y, /x%25y", "/, /"
    })
    void normalizesPaths(String in, String out) {
        assertThat(PathNormalizer.normalize(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"/admin", "//admin", "/a/../admin", "/%2Fadmin", "/admin/"})
    void denyOnAPathCannotBeBypassed(String path) {
        Authorization deny = policy(Action.DENY, Match.newBuilder().addPaths(exact("/admin"))
                .addPaths(StringMatch.newBuilder().setPrefix("/admin/")).build());
        assertThat(L7Authorizer.decide(List.of(deny), req("GET", path)).allowed()).isFalse();
        assertThat(L7Authorizer.decide(List.of(deny), req("GET", "/public")).allowed()).isTrue();
    }

    @Test
    void denyBeatsAllowAndNoAllowMeansAllow() {
        Authorization allowGet = policy(Action.ALLOW, Match.newBuilder().addMethods(exact("GET"))
                .addPrincipals(exact("cluster.local/ns/default/sa/curl")).build());
        Authorization denyDelete = policy(Action.DENY, Match.newBuilder().addMethods(exact("DELETE")).build());
        assertThat(L7Authorizer.decide(List.of(), req("DELETE", "/")).allowed()).isTrue();
        assertThat(L7Authorizer.decide(List.of(allowGet), req("GET", "/")).allowed()).isTrue();
        assertThat(L7Authorizer.decide(List.of(allowGet), req("POST", "/")).allowed()).isFalse();
        assertThat(L7Authorizer.decide(List.of(allowGet, denyDelete), req("DELETE", "/")).allowed()).isFalse();
        Authorization allowOther = policy(Action.ALLOW, Match.newBuilder()
                .addPrincipals(exact("cluster.local/ns/default/sa/other")).build());
        assertThat(L7Authorizer.decide(List.of(allowOther), req("GET", "/")).allowed()).isFalse();
    }

    @Test
    void targetServicesNarrowThePolicy() {
        Authorization denyAll = policy(Action.DENY, Match.getDefaultInstance(), "default/ratings.default.svc.cluster.local");
        assertThat(L7Authorizer.decide(List.of(denyAll), req("GET", "/")).allowed()).isTrue();
        Authorization denyReviews = policy(Action.DENY, Match.getDefaultInstance(),
                "default/reviews.default.svc.cluster.local");
        assertThat(L7Authorizer.decide(List.of(denyReviews), req("GET", "/")).allowed()).isFalse();
    }

    @Test
    void headersMatchPerValueNamespacesAndHosts() {
        Authorization deny = policy(Action.DENY, Match.newBuilder().addRequestHeaders(RequestHeaderMatch.newBuilder()
                .setName("x-role").addValues(exact("admin"))).build());
        DefaultHttpHeaders split = new DefaultHttpHeaders();
        split.add("x-role", "user");
        split.add("x-role", "admin");
        assertThat(L7Authorizer.decide(List.of(deny), RequestsAccess.of("GET", "/", split)).allowed()).isFalse();
        Authorization allowNs = policy(Action.ALLOW, Match.newBuilder().addNamespaces(exact("default"))
                .addHosts(exact("REVIEWS")).build());
        assertThat(L7Authorizer.decide(List.of(allowNs), req("GET", "/")).allowed()).isTrue();
        Authorization allowJwt = policy(Action.ALLOW, Match.newBuilder()
                .addRequestPrincipals(StringMatch.newBuilder().setPresence(true)).build());
        assertThat(L7Authorizer.decide(List.of(allowJwt), req("GET", "/")).allowed()).isFalse();
    }
}
