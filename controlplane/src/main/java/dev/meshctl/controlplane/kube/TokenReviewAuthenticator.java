package dev.meshctl.controlplane.kube;

import dev.meshctl.controlplane.ca.Caller;
import dev.meshctl.core.identity.SpiffeId;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates node agents and waypoints by their projected service-account tokens: the API server reviews the token
 * (TokenReview, audience {@link KubeNames#TOKEN_AUDIENCE}), then the token's pod-bound claims, or a lookup of the
 * pod, say which node or waypoint it speaks for.
 *
 * <pre>{@code
 * var auth = new TokenReviewAuthenticator(client, "istio-system", "cluster.local");
 * Optional<String> who = auth.authenticate(token); // "kind-worker" or "waypoint/default/waypoint"
 * }</pre>
 */
public final class TokenReviewAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(TokenReviewAuthenticator.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String trustDomain;

  /** Creates an authenticator for a mesh installed in {@code namespace}. */
  public TokenReviewAuthenticator(KubernetesClient client, String namespace, String trustDomain) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
  }

  /**
   * Returns the name the token proves, in the form bootstrap tokens use: a node name for a node agent,
   * {@code waypoint/<ns>/<gateway>} for a waypoint; empty when it proves neither (the reason is logged).
   */
  public Optional<String> authenticate(String token) {
    return prove(token).map(TokenVerdict.Proven::name);
  }

  /** Returns the CA caller the token proves: a node, or a waypoint's own service-account identity. */
  public Optional<Caller> caller(String token) {
    return prove(token).map(p -> p.name().startsWith(KubeNames.WAYPOINT_PREFIX)
        ? Caller.workload(SpiffeId.of(trustDomain, p.namespace(), p.serviceAccount()))
        : Caller.node(p.name()));
  }

  private Optional<TokenVerdict.Proven> prove(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      return Optional.empty();
    }
    TokenVerdict.Review review = TokenVerdict.review(reviewed(token), namespace);
    if (review instanceof TokenVerdict.NeedsPod claims) {
      review = TokenVerdict.resolve(claims, pod(claims));
    }
    if (review instanceof TokenVerdict.Proven proven) {
      return Optional.of(proven);
    }
    LOG.warn("refused a token: {}", ((TokenVerdict.Refused) review).reason());
    return Optional.empty();
  }

  private io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus reviewed(String token) {
    TokenReview request = new TokenReviewBuilder().withNewSpec().withToken(token)
        .withAudiences(List.of(KubeNames.TOKEN_AUDIENCE)).endSpec().build();
    try {
      TokenReview answer = client.authentication().v1().tokenReviews().create(request);
      return answer == null ? null : answer.getStatus();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("TokenReview failed (" + e.getCode() + "): check that the control plane's"
          + " ClusterRole allows create on tokenreviews.authentication.k8s.io", e);
    }
  }

  private Pod pod(TokenVerdict.NeedsPod claims) {
    return client.pods().inNamespace(claims.namespace()).withName(claims.pod()).get();
  }
}
