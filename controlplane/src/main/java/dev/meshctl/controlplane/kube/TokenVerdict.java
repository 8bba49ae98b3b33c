package dev.meshctl.controlplane.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a reviewed service-account token proves, with no I/O: a node agent's node, or a waypoint's Gateway.
 * Node agents are the install namespace's {@link KubeNames#NODE_AGENT} account; every other account can only prove a
 * waypoint, through its pod's {@code gateway-name} label.
 */
public final class TokenVerdict {
  static final String EXTRA_POD_NAME = "authentication.kubernetes.io/pod-name";
  static final String EXTRA_POD_UID = "authentication.kubernetes.io/pod-uid";
  static final String EXTRA_NODE_NAME = "authentication.kubernetes.io/node-name";
  private static final String SA_PREFIX = "system:serviceaccount:";
  private static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";

  private TokenVerdict() {}

  /** What the review says, before any pod is looked up. */
  public sealed interface Review permits Proven, NeedsPod, Refused {}

  /** The token proves {@code name} outright (a node agent whose token names its node). */
  public record Proven(String name, String namespace, String serviceAccount) implements Review {}

  /** The token is bound to pod {@code namespace/pod}; the pod decides what it proves. */
  public record NeedsPod(String namespace, String pod, String podUid, String serviceAccount, boolean nodeAgent)
      implements Review {}

  /** The token proves nothing the mesh accepts. */
  public record Refused(String reason) implements Review {}

  /** Reads a TokenReview status for an install in {@code installNamespace}. */
  public static Review review(TokenReviewStatus status, String installNamespace) {
    Objects.requireNonNull(installNamespace, "installNamespace");
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
      String error = status == null || status.getError() == null ? "" : ": " + status.getError();
      return new Refused("the Kubernetes API server did not accept the service-account token" + error);
    }
    UserInfo user = status.getUser();
    String username = user.getUsername() == null ? "" : user.getUsername();
    if (!username.startsWith(SA_PREFIX) || username.substring(SA_PREFIX.length()).split(":").length != 2) {
      return new Refused("the token belongs to " + username + ", not to a service account");
    }
    String[] parts = username.substring(SA_PREFIX.length()).split(":");
    String namespace = parts[0];
    String account = parts[1];
    boolean nodeAgent = namespace.equals(installNamespace) && account.equals(KubeNames.NODE_AGENT);
    Map<String, List<String>> extra = user.getExtra() == null ? Map.of() : user.getExtra();
    Optional<String> node = first(extra, EXTRA_NODE_NAME);
    if (nodeAgent && node.isPresent()) {
      return new Proven(node.get(), namespace, account);
    }
    Optional<String> pod = first(extra, EXTRA_POD_NAME);
    if (pod.isEmpty()) {
      return new Refused("the token of " + username + " is not bound to a pod: mount a projected service-account"
          + " token (audience " + KubeNames.TOKEN_AUDIENCE + ") instead of a long-lived secret token");
    }
    return new NeedsPod(namespace, pod.get(), first(extra, EXTRA_POD_UID).orElse(""), account, nodeAgent);
  }

  /**
   * Decides what a pod-bound token proves once its pod is known ({@code null} when it no longer exists): the pod's node
   * for a node agent, {@code waypoint/<ns>/<gateway>} for a waypoint.
   */
  public static Review resolve(NeedsPod claims, Pod pod) {
    Objects.requireNonNull(claims, "claims");
    String who = claims.namespace() + "/" + claims.pod();
    if (pod == null || pod.getMetadata() == null || pod.getSpec() == null) {
      return new Refused("pod " + who + " named by the token no longer exists");
    }
    if (!claims.podUid().isEmpty() && !claims.podUid().equals(pod.getMetadata().getUid())) {
      return new Refused("pod " + who + " was replaced after the token was issued; the new pod has its own token");
    }
    String podAccount = pod.getSpec().getServiceAccountName();
    if (podAccount != null && !podAccount.isEmpty() && !podAccount.equals(claims.serviceAccount())) {
      return new Refused("pod " + who + " runs as " + podAccount + ", not as " + claims.serviceAccount());
    }
    if (claims.nodeAgent()) {
      String node = pod.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        return new Refused("pod " + who + " is not scheduled on a node yet");
      }
      return new Proven(node, claims.namespace(), claims.serviceAccount());
    }
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    String gateway = labels.get(GATEWAY_NAME);
    if (gateway == null || gateway.isEmpty()) {
      return new Refused("pod " + who + " is neither a node agent (" + KubeNames.NODE_AGENT + ") nor a waypoint"
          + " (label " + GATEWAY_NAME + ")");
    }
    return new Proven(KubeNames.WAYPOINT_PREFIX + claims.namespace() + "/" + gateway, claims.namespace(),
        claims.serviceAccount());
  }

  private static Optional<String> first(Map<String, List<String>> extra, String key) {
    List<String> values = extra.get(key);
    return values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()
        ? Optional.empty() : Optional.of(values.get(0));
  }
}
