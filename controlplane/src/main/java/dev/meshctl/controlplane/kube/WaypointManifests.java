package dev.meshctl.controlplane.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders the ServiceAccount, Deployment and Service that run a waypoint Gateway, as Istio does for
 * {@code gatewayClassName: istio-waypoint}: pods labelled with the gateway's name, listening for HBONE on 15008.
 */
public final class WaypointManifests {
  /** The gateway classes whose Gateways are waypoints. */
  public static final Set<String> CLASSES = Set.of("istio-waypoint", "meshctl-waypoint");
  /** The label the mesh finds a waypoint's pods by. */
  public static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";
  /** The annotation holding a digest of what was rendered, so a changed Gateway or image is noticed. */
  public static final String RENDERED = "meshctl.dev/rendered-digest";
  /** The Gateway API version owner references name when the Gateway object does not say its own. */
  static final String GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";
  static final int HBONE_PORT = 15008;

  private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization SERIALIZATION =
      new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

  private WaypointManifests() {}

  /** Tells whether {@code gateway} asks for a waypoint. */
  public static boolean isWaypoint(Gateway gateway) {
    return gateway != null && gateway.getSpec() != null && CLASSES.contains(gateway.getSpec().getGatewayClassName());
  }

  /**
   * Renders the objects for waypoint {@code gateway}, running {@code image} and reaching the control plane of the mesh
   * installed in {@code meshNamespace}.
   */
  public static List<HasMetadata> forGateway(Gateway gateway, String image, String meshNamespace) {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(meshNamespace, "meshNamespace");
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    Map<String, String> selector = Map.of(GATEWAY_NAME, name);
    Map<String, String> labels = Map.of(GATEWAY_NAME, name, KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE);
    var owner = new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion(gateway.getApiVersion() == null ? GATEWAY_API_VERSION : gateway.getApiVersion())
        .withKind("Gateway").withName(name).withUid(gateway.getMetadata().getUid()).build();
    boolean owned = gateway.getMetadata().getUid() != null;

    var account = new ServiceAccountBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
        .endMetadata().build();
    var deployment = new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
        .endMetadata().withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(selector).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels)
        // A waypoint is a mesh component: its own traffic is never captured.
        .addToLabels("istio.io/dataplane-mode", "none").endMetadata()
        .withNewSpec().withServiceAccountName(name)
        .addNewContainer().withName("waypoint").withImage(image).withImagePullPolicy("IfNotPresent")
        .withArgs("component", "waypoint", "--namespace", ns, "--name", name,
            "--control-plane", KubeNames.controlPlaneHost(meshNamespace) + ":15012",
            "--token-file", "/var/run/secrets/meshctl/token", "--root-cert", "/var/run/meshctl/root-cert.pem")
        .addNewPort().withName("hbone").withContainerPort(HBONE_PORT).endPort()
        .addNewVolumeMount().withName("token").withMountPath("/var/run/secrets/meshctl").withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount().withName("root-cert").withMountPath("/var/run/meshctl").withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume().withName("token").withNewProjected().addNewSource().withNewServiceAccountToken()
        .withAudience(KubeNames.TOKEN_AUDIENCE).withExpirationSeconds(3600L).withPath("token")
        .endServiceAccountToken().endSource().endProjected().endVolume()
        .addNewVolume().withName("root-cert").withNewConfigMap().withName(KubeNames.ROOT_CERT_CONFIG_MAP)
        .endConfigMap().endVolume()
        .endSpec().endTemplate().endSpec().build();
    var service = new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
        .endMetadata().withNewSpec().withSelector(selector).addNewPort().withName("hbone").withPort(HBONE_PORT)
        .withTargetPort(new IntOrString(HBONE_PORT)).endPort().endSpec().build();
    List<HasMetadata> out = List.of(account, deployment, service);
    if (owned) {
      // Deleting the Gateway then deletes its waypoint too, even while the control plane is down.
      out.forEach(o -> o.getMetadata().setOwnerReferences(List.of(owner)));
    }
    String digest = digest(out);
    out.forEach(o -> o.getMetadata().setAnnotations(Map.of(RENDERED, digest)));
    return out;
  }

  /** Returns a digest of {@code objects} as rendered (before the digest annotation is added). */
  static String digest(List<HasMetadata> objects) {
    try {
      var sha = java.security.MessageDigest.getInstance("SHA-256");
      for (HasMetadata o : objects) {
        sha.update(SERIALIZATION.asJson(o).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return java.util.HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("BUG: every JRE has SHA-256", e);
    }
  }
}
