package dev.meshctl.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.controlplane.ca.Caller;
import dev.meshctl.core.identity.SpiffeId;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient
class TokenReviewAuthenticatorTest {
  private static final String REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void nodeAgentTokenWithNodeClaimProvesItsNode() {
    answer(review(true, "system:serviceaccount:istio-system:meshctl-node-agent",
        Map.of(TokenVerdict.EXTRA_NODE_NAME, List.of("kind-worker"), TokenVerdict.EXTRA_POD_NAME, List.of("na-1"))));

    assertThat(authenticator().authenticate("tok")).contains("kind-worker");
    assertThat(authenticator().caller("tok")).contains(Caller.node("kind-worker"));
    TokenReview sent = lastReview();
    assertThat(sent.getSpec().getToken()).isEqualTo("tok");
    assertThat(sent.getSpec().getAudiences()).containsExactly(KubeNames.TOKEN_AUDIENCE);
  }

  @Test
  void nodeAgentTokenWithoutNodeClaimIsResolvedThroughItsPod() {
    answer(review(true, "system:serviceaccount:istio-system:meshctl-node-agent",
        Map.of(TokenVerdict.EXTRA_POD_NAME, List.of("na-1"), TokenVerdict.EXTRA_POD_UID, List.of("uid-1"))));
    pod("istio-system", "na-1", "uid-1", "meshctl-node-agent", "kind-worker2", Map.of());

    assertThat(authenticator().authenticate("tok")).contains("kind-worker2");
  }

  @Test
  void waypointTokenProvesItsGatewayAndItsOwnIdentity() {
    answer(review(true, "system:serviceaccount:shop:waypoint",
        Map.of(TokenVerdict.EXTRA_POD_NAME, List.of("waypoint-abc"), TokenVerdict.EXTRA_POD_UID, List.of("u"))));
    pod("shop", "waypoint-abc", "u", "waypoint", "kind-worker",
        Map.of("gateway.networking.k8s.io/gateway-name", "waypoint"));

    assertThat(authenticator().authenticate("tok")).contains("waypoint/shop/waypoint");
    assertThat(authenticator().caller("tok"))
        .contains(Caller.workload(SpiffeId.of("cluster.local", "shop", "waypoint")));
  }

  @Test
  void refusesUnauthenticatedTokensAndOrdinaryPods() {
    answer(review(false, null, Map.of()));
    assertThat(authenticator().authenticate("bad")).isEmpty();

    answer(review(true, "system:serviceaccount:shop:web",
        Map.of(TokenVerdict.EXTRA_POD_NAME, List.of("web-1"))));
    pod("shop", "web-1", "", "web", "kind-worker", Map.of("app", "web"));
    assertThat(authenticator().authenticate("tok")).isEmpty();
  }

  @Test
  void refusesATokenWhosePodIsGoneAndBlankTokens() {
    answer(review(true, "system:serviceaccount:istio-system:meshctl-node-agent",
        Map.of(TokenVerdict.EXTRA_POD_NAME, List.of("gone"))));
    server.expect().get().withPath("/api/v1/namespaces/istio-system/pods/gone").andReturn(404, null).always();

    assertThat(authenticator().authenticate("tok")).isEmpty();
    assertThat(authenticator().authenticate("  ")).isEmpty();
  }

  @Test
  void explainsAForbiddenReview() {
    server.expect().post().withPath(REVIEWS).andReturn(403, "{}").once();
    assertThatThrownBy(() -> authenticator().authenticate("tok")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tokenreviews");
  }

  private TokenReviewAuthenticator authenticator() {
    return new TokenReviewAuthenticator(client, "istio-system", "cluster.local");
  }

  private void answer(TokenReview review) {
    server.expect().post().withPath(REVIEWS).andReturn(201, review).always();
  }

  private TokenReview lastReview() {
    try {
      var request = server.getLastRequest();
      return client.getKubernetesSerialization().unmarshal(request.getBody().readUtf8(), TokenReview.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void pod(String ns, String name, String uid, String account, String node, Map<String, String> labels) {
    Pod pod = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(uid).withLabels(labels)
        .endMetadata().withNewSpec().withServiceAccountName(account).withNodeName(node).endSpec().build();
    server.expect().get().withPath("/api/v1/namespaces/" + ns + "/pods/" + name).andReturn(200, pod).always();
  }

  private static TokenReview review(boolean ok, String user, Map<String, List<String>> extra) {
    return new TokenReviewBuilder().withNewStatus().withAuthenticated(ok).withError(ok ? null : "token expired")
        .withNewUser().withUsername(user).withExtra(extra).endUser().endStatus().build();
  }

}
