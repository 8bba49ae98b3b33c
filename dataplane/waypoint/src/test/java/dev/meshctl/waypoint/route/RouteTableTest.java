package dev.meshctl.waypoint.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Backend;
import dev.meshctl.api.mesh.HeaderMatch;
import dev.meshctl.api.mesh.PathMatch;
import dev.meshctl.api.mesh.PathModifier;
import dev.meshctl.api.mesh.QueryMatch;
import dev.meshctl.api.mesh.Redirect;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.api.mesh.UrlRewrite;
import dev.meshctl.waypoint.ProxyRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    static final String SVC = "default/reviews.default.svc.cluster.local";

    static RouteRule rule(String name, RouteMatch m) {
        return RouteRule.newBuilder().setName(name).addMatches(m).build();
    }

    static RouteMatch path(PathMatch.Type t, String v) {
        return RouteMatch.newBuilder().setPath(PathMatch.newBuilder().setType(t).setValue(v)).build();
    }

    static ProxyRequest req(String method, String uri, String... headers) {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return dev.meshctl.waypoint.RequestsAccess.of(method, uri, h);
    }

    final RouteTable table = RouteTable.of(List.of(Route.newBuilder().setName("r").setNamespace("default")
            .addParents(SVC)
            // Written in the "wrong" order: the table sorts by precedence.
            .addRules(rule("prefix-api", path(PathMatch.Type.PREFIX, "/api")))
            .addRules(rule("regex", path(PathMatch.Type.REGEX, "/v[0-9]+/.*")))
            .addRules(rule("exact-login", path(PathMatch.Type.EXACT, "/api/login")))
            .addRules(rule("prefix-api-v2", path(PathMatch.Type.PREFIX, "/api/v2/")))
            .addRules(rule("header", path(PathMatch.Type.PREFIX, "/api").toBuilder()
                    .addHeaders(HeaderMatch.newBuilder().setName("x-user").setValue("jason")).build()))
            .addRules(rule("method", path(PathMatch.Type.PREFIX, "/api").toBuilder().setMethod("POST").build()))
            .addRules(rule("query", RouteMatch.newBuilder().addQueryParams(QueryMatch.newBuilder()
                    .setName("debug").setType(QueryMatch.Type.REGEX).setValue("1|true")).build()))
            .build()));

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "GET, /api/login, '', exact-login",
            "GET, /api/login/x, '', prefix-api",
            "GET, /api/v2/items, '', prefix-api-v2",
            "GET, /api/v2, '', prefix-api-v2",
            "GET, /api, '', prefix-api",
            "GET, /apix, '', none",
            "POST, /api/x, '', method",
            "GET, /api/x, jason, header",
            "POST, /api/x, jason, method",
            "GET, /v1/x, '', regex",
            "GET, /other?debug=true, '', query",
            "GET, /other?debug=no, '', none",
    })
    void picksByPrecedence(String method, String uri, String user, String expected) {
        ProxyRequest r = user.isEmpty() ? req(method, uri) : req(method, uri, "x-user", user);
        assertThat(table.select(SVC, r).map(e -> e.rule().getName()).orElse("none")).isEqualTo(expected);
    }

    @Test
    void repeatedHeaderMatchesOnAnyValue() {
        assertThat(table.select(SVC, req("GET", "/api/x", "x-user", "bob", "x-user", "jason"))
                .map(e -> e.rule().getName())).contains("header");
    }

    @Test
    void hostnamesRestrictTheRoute() {
        RouteTable t = RouteTable.of(List.of(Route.newBuilder().setName("h").setNamespace("default").addParents(SVC)
                .addHostnames("*.example.com").addRules(RouteRule.getDefaultInstance()).build()));
        assertThat(t.select(SVC, req("GET", "/").withAuthority("a.example.com:80"))).isPresent();
        assertThat(t.select(SVC, req("GET", "/").withAuthority("reviews"))).isEmpty();
        assertThat(t.hasRoutes(SVC)).isTrue();
        assertThat(t.hasRoutes("default/other")).isFalse();
    }

    @Test
    void weightsSplitNinetyToTen() {
        AtomicInteger seq = new AtomicInteger();
        BackendPicker picker = new BackendPicker(n -> seq.getAndIncrement() % n);
        List<Backend> backends = List.of(Backend.newBuilder().setService("v1").setWeight(90).build(),
                Backend.newBuilder().setService("v2").setWeight(10).build());
        int v2 = 0;
        for (int i = 0; i < 1000; i++) {
            if (picker.pick(backends).orElseThrow().getService().equals("v2")) {
                v2++;
            }
        }
        assertThat(v2).isEqualTo(100);
        BackendPicker random = new BackendPicker(n -> java.util.concurrent.ThreadLocalRandom.current().nextInt(n));
        int r2 = 0;
        for (int i = 0; i < 1000; i++) {
            if (random.pick(backends).orElseThrow().getService().equals("v2")) {
                r2++;
            }
        }
        assertThat(r2).isBetween(50, 170);
        assertThat(picker.pick(List.of(Backend.newBuilder().setWeight(0).build()))).isEmpty();
        assertThat(picker.pick(List.of())).isEmpty();
    }

    @Test
    void redirectsAndRewrites() {
        RouteMatch prefix = path(PathMatch.Type.PREFIX, "/old");
        ProxyRequest r = req("GET", "/old/page?x=1").withAuthority("reviews:9080");
        assertThat(Rewrites.location(Redirect.newBuilder().setPath(PathModifier.newBuilder()
                .setReplacePrefixMatch("/new")).build(), r, prefix)).isEqualTo("http://reviews:9080/new/page?x=1");
        assertThat(Rewrites.location(Redirect.newBuilder().setScheme("https").setHostname("example.com")
                .build(), r, prefix)).isEqualTo("https://example.com/old/page?x=1");
        assertThat(Rewrites.status(Redirect.newBuilder().setStatusCode(301).build())).isEqualTo(301);
        assertThat(Rewrites.status(Redirect.getDefaultInstance())).isEqualTo(302);
        ProxyRequest rewritten = Rewrites.rewrite(UrlRewrite.newBuilder().setHostname("ratings")
                .setPath(PathModifier.newBuilder().setReplacePrefixMatch("/")).build(), r, prefix);
        assertThat(rewritten.uri()).isEqualTo("/page?x=1");
        assertThat(rewritten.authority()).isEqualTo("ratings");
        assertThat(Rewrites.rewrite(UrlRewrite.newBuilder().setPath(PathModifier.newBuilder()
                .setReplaceFullPath("/fixed")).build(), r, prefix).uri()).isEqualTo("/fixed?x=1");
    }
}
