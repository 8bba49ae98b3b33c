package dev.meshctl.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenVerdictTest {
  private static final String NODE_AGENT = "system:serviceaccount:istio-system:meshctl-node-agent";

  @Test
  void refusesWhatIsNotAServiceAccount() {
    assertThat(TokenVerdict.review(null, "istio-system")).isInstanceOf(TokenVerdict.Refused.class);
    assertThat(reason(TokenVerdict.review(status("kubernetes-admin", Map.of()), "istio-system")))
        .contains("not to a service account");
    assertThat(reason(TokenVerdict.review(status("system:serviceaccount:broken", Map.of()), "istio-system")))
        .contains("not to a service account");
  }

  @Test
  void refusesTokensNotBoundToAPod() {
    assertThat(reason(TokenVerdict.review(status(NODE_AGENT, Map.of()), "istio-system")))
        .contains("projected service-account token");
  }

  @Test
  void nodeClaimCountsOnlyForTheNodeAgentAccountOfTheInstallNamespace() {
    Map<String, List<String>> extra = Map.of(TokenVerdict.EXTRA_NODE_NAME, List.of("n1"),
        TokenVerdict.EXTRA_POD_NAME, List.of("p"));
    assertThat(TokenVerdict.review(status(NODE_AGENT, extra), "istio-system"))
        .isEqualTo(new TokenVerdict.Proven("n1", "istio-system", "meshctl-node-agent"));
    // The same account name in another namespace is an ordinary workload: it must prove a waypoint pod.
    assertThat(TokenVerdict.review(status(NODE_AGENT, extra), "mesh-system"))
        .isEqualTo(new TokenVerdict.NeedsPod("istio-system", "p", "", "meshctl-node-agent", false));
  }

  @Test
  void resolveChecksUidAccountAndScheduling() {
    var claims = new TokenVerdict.NeedsPod("istio-system", "p", "u1", "meshctl-node-agent", true);
    assertThat(reason(TokenVerdict.resolve(claims, null))).contains("no longer exists");
    assertThat(reason(TokenVerdict.resolve(claims, pod("u2", "meshctl-node-agent", "n1", Map.of()))))
        .contains("replaced");
    assertThat(reason(TokenVerdict.resolve(claims, pod("u1", "other", "n1", Map.of())))).contains("runs as other");
    assertThat(reason(TokenVerdict.resolve(claims, pod("u1", "meshctl-node-agent", null, Map.of()))))
        .contains("not scheduled");
    assertThat(TokenVerdict.resolve(claims, pod("u1", "meshctl-node-agent", "n1", Map.of())))
        .isEqualTo(new TokenVerdict.Proven("n1", "istio-system", "meshctl-node-agent"));
  }

  private static String reason(TokenVerdict.Review review) {
    assertThat(review).isInstanceOf(TokenVerdict.Refused.class);
    return ((TokenVerdict.Refused) review).reason();
  }

  private static TokenReviewStatus status(String user, Map<String, List<String>> extra) {
    return new TokenReviewStatusBuilder().withAuthenticated(true).withNewUser().withUsername(user).withExtra(extra)
        .endUser().build();
  }

  private static Pod pod(String uid, String account, String node, Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withName("p").withUid(uid).withLabels(labels).endMetadata()
        .withNewSpec().withServiceAccountName(account).withNodeName(node).endSpec().build();
  }
}
