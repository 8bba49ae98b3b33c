package dev.meshctl.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.meshctl.api.mesh.Backend;
import dev.meshctl.api.mesh.HeaderMatch;
import dev.meshctl.api.mesh.PathMatch;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.controlplane.model.MeshConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTranslatorTest {
  private final List<String> warnings = new ArrayList<>();
  private final RouteTranslator translator = new RouteTranslator(MeshConfig.defaults(), warnings);

  /** Istio's reviews example: header match to v2, else 90/10 between v1 and v2, with timeouts. */
  static HTTPRoute reviews() {
    return new HTTPRouteBuilder()
        .withNewMetadata().withNamespace("apps").withName("reviews").endMetadata()
        .withNewSpec()
          .addNewParentRef().withGroup("").withKind("Service").withName("reviews").withPort(9080).endParentRef()
          .addNewRule()
            .addNewBackendRef().withName("reviews-v1").withPort(9080).withWeight(90).endBackendRef()
            .addNewBackendRef().withName("reviews-v2").withPort(9080).withWeight(10).endBackendRef()
            .withNewTimeouts().withRequest("10s").withBackendRequest("500ms").endTimeouts()
          .endRule()
          .addNewRule()
            .addNewMatch().addNewHeader().withName("end-user").withValue("jason").endHeader()
                .withNewPath().withType("PathPrefix").withValue("/reviews").endPath().endMatch()
            .addNewBackendRef().withName("reviews-v2").withPort(9080).endBackendRef()
            .addNewFilter().withType("RequestHeaderModifier").withNewRequestHeaderModifier()
                .addNewSet().withName("x-route").withValue("jason").endSet().withRemove("x-debug")
                .endRequestHeaderModifier().endFilter()
          .endRule()
        .endSpec()
        .build();
  }

  @Test
  void weightsHeaderMatchTimeoutsAndPrecedence() {
    Route r = translator.translate(reviews(), List.of("apps/reviews.apps.svc.cluster.local"));
    assertThat(r.getName()).isEqualTo("reviews");
    assertThat(r.getParentsList()).containsExactly("apps/reviews.apps.svc.cluster.local");
    assertThat(r.getRulesList()).hasSize(2);

    RouteRule jason = r.getRules(0);
    assertThat(jason.getMatches(0).getHeadersList()).containsExactly(
        HeaderMatch.newBuilder().setType(HeaderMatch.Type.EXACT).setName("end-user").setValue("jason").build());
    assertThat(jason.getMatches(0).getPath()).isEqualTo(
        PathMatch.newBuilder().setType(PathMatch.Type.PREFIX).setValue("/reviews").build());
    assertThat(jason.getFilters(0).getRequestHeaderModifier().getSet(0).getName()).isEqualTo("x-route");
    assertThat(jason.getFilters(0).getRequestHeaderModifier().getRemoveList()).containsExactly("x-debug");

    RouteRule split = r.getRules(1);
    assertThat(split.getMatchesList()).as("no matches: matches everything, so it sorts last").isEmpty();
    assertThat(split.getBackendsList()).extracting(Backend::getService, Backend::getWeight).containsExactly(
        org.assertj.core.groups.Tuple.tuple("apps/reviews-v1.apps.svc.cluster.local", 90),
        org.assertj.core.groups.Tuple.tuple("apps/reviews-v2.apps.svc.cluster.local", 10));
    assertThat(split.getTimeouts().getRequest()).isEqualTo(Duration.newBuilder().setSeconds(10).build());
    assertThat(split.getTimeouts().getBackendRequest()).isEqualTo(Duration.newBuilder().setNanos(500_000_000).build());
    assertThat(warnings).isEmpty();
  }

  @Test
  void multipleMatchesBecomeRulesInPrecedenceOrder() {
    HTTPRoute route = new HTTPRouteBuilder()
        .withNewMetadata().withNamespace("apps").withName("r").endMetadata()
        .withNewSpec().addNewRule()
            .addNewMatch().withNewPath().withType("PathPrefix").withValue("/a").endPath().endMatch()
            .addNewMatch().withNewPath().withType("Exact").withValue("/a/b").endPath().endMatch()
            .addNewMatch().withNewPath().withType("PathPrefix").withValue("/a/long").endPath().endMatch()
            .addNewMatch().withNewPath().withType("PathPrefix").withValue("/a").endPath().withMethod("GET").endMatch()
            .addNewBackendRef().withName("svc").withPort(80).endBackendRef()
        .endRule().endSpec().build();
    Route r = translator.translate(route, List.of());
    assertThat(r.getRulesList()).extracting(rule -> rule.getMatches(0).getPath().getValue() + " "
        + rule.getMatches(0).getMethod()).containsExactly("/a/b ", "/a/long ", "/a GET", "/a ");
    assertThat(r.getRules(0).getBackends(0).getWeight()).as("weight defaults to 1").isEqualTo(1);
  }

  @Test
  void retriesAndFaultsFromAnnotations() {
    HTTPRoute route = new HTTPRouteBuilder(reviews()).editMetadata().withAnnotations(Map.of(
        RouteTranslator.RETRY_ATTEMPTS, "3", RouteTranslator.RETRY_PER_TRY_TIMEOUT, "2s",
        RouteTranslator.RETRY_CODES, "503, 504", RouteTranslator.FAULT_DELAY, "1s",
        RouteTranslator.FAULT_ABORT_STATUS, "500", RouteTranslator.FAULT_ABORT_PERCENT, "10")).endMetadata().build();
    RouteRule rule = translator.translate(route, List.of()).getRules(1);
    assertThat(rule.getRetry().getAttempts()).isEqualTo(3);
    assertThat(rule.getRetry().getPerTryTimeout().getSeconds()).isEqualTo(2);
    assertThat(rule.getRetry().getCodesList()).containsExactly(503, 504);
    assertThat(rule.getFault().getDelay().getFixedDelay().getSeconds()).isEqualTo(1);
    assertThat(rule.getFault().getDelay().getPercentage()).isEqualTo(100.0);
    assertThat(rule.getFault().getAbort().getHttpStatus()).isEqualTo(500);
    assertThat(rule.getFault().getAbort().getPercentage()).isEqualTo(10.0);
  }

  @Test
  void ruleRetryBeatsAnnotations() {
    HTTPRoute route = new HTTPRouteBuilder(reviews())
        .editMetadata().withAnnotations(Map.of(RouteTranslator.RETRY_ATTEMPTS, "3")).endMetadata()
        .editSpec().editFirstRule().withNewRetry().withAttempts(5).withCodes(502).withBackoff("100ms").endRetry()
        .endRule().endSpec().build();
    Route r = translator.translate(route, List.of());
    assertThat(r.getRules(1).getRetry().getAttempts()).isEqualTo(5);
    assertThat(r.getRules(0).getRetry().getAttempts()).isEqualTo(3);
  }

  @Test
  void badValuesAndUnsupportedPartsAreReported() {
    HTTPRoute route = new HTTPRouteBuilder(reviews())
        .editMetadata().withAnnotations(Map.of(RouteTranslator.RETRY_ATTEMPTS, "many")).endMetadata()
        .editSpec().editFirstRule().editTimeouts().withRequest("ten seconds").endTimeouts()
            .addNewFilter().withType("RequestMirror").endFilter()
            .addNewBackendRef().withKind("Bucket").withGroup("s3").withName("b").endBackendRef()
        .endRule().endSpec().build();
    Route r = translator.translate(route, List.of());
    assertThat(r.getRules(1).hasRetry()).isFalse();
    assertThat(r.getRules(1).getTimeouts().hasRequest()).isFalse();
    assertThat(r.getRules(1).getBackendsCount()).isEqualTo(2);
    assertThat(warnings).hasSize(4).anySatisfy(w -> assertThat(w).contains("many"))
        .anySatisfy(w -> assertThat(w).contains("ten seconds"))
        .anySatisfy(w -> assertThat(w).contains("RequestMirror"))
        .anySatisfy(w -> assertThat(w).contains("Bucket"));
  }

  @Test
  void durations() {
    assertThat(Durations.parse("1h30m")).get().extracting(Duration::getSeconds).isEqualTo(5400L);
    assertThat(Durations.parse("1s500ms")).get().extracting(Duration::getNanos).isEqualTo(500_000_000);
    assertThat(Durations.parse("0s")).get().isEqualTo(Duration.getDefaultInstance());
    assertThat(Durations.parse("1.5s")).isEmpty();
    assertThat(Durations.parse("")).isEmpty();
    assertThat(Durations.parse("10d")).isEmpty();
  }
}
