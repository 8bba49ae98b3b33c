package dev.meshctl.controlplane.model;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.AuthorizationPolicySpec;
import dev.meshctl.objects.istio.PeerAuthentication;
import dev.meshctl.objects.istio.PeerAuthenticationSpec;
import dev.meshctl.objects.istio.WorkloadSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the objects mesh tests need, with terse defaults (pods are Running and Ready unless told). */
public final class MeshFixtures {
  private MeshFixtures() {}

  /** Returns a label map from alternating keys and values. */
  public static Map<String, String> labels(String... kv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  public static ObjectMeta meta(String ns, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder().withNamespace(ns).withName(name).withLabels(labels).build();
  }

  public static Namespace namespace(String name, String... labels) {
    return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels(labels)).endMetadata().build();
  }

  public static Namespace ambient(String name) {
    return namespace(name, MeshLabels.DATAPLANE_MODE, "ambient");
  }

  /** A ready pod of Deployment {@code app} (from label app, else the pod name). */
  public static Pod pod(String ns, String name, String node, String ip, String sa, String... labels) {
    Map<String, String> l = labels(labels);
    return new PodBuilder()
        .withMetadata(meta(ns, name, l))
        .editMetadata().addNewOwnerReference().withKind("Deployment").withApiVersion("apps/v1")
            .withName(l.getOrDefault("app", name)).endOwnerReference().endMetadata()
        .withNewSpec().withNodeName(node).withServiceAccountName(sa)
            .addNewContainer().withName("app").addNewPort().withName("http-web").withContainerPort(9080).endPort()
            .endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip)
            .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus()
        .build();
  }

  public static Pod notReady(Pod pod) {
    return new PodBuilder(pod).editStatus().withConditions().withPhase("Pending").endStatus().build();
  }

  public static Service service(String ns, String name, String clusterIp, Map<String, String> selector,
      ServicePort... ports) {
    return new ServiceBuilder()
        .withMetadata(meta(ns, name, Map.of()))
        .withNewSpec().withClusterIP(clusterIp).withSelector(selector).withPorts(ports).endSpec()
        .build();
  }

  public static Service label(Service s, String... labels) {
    return new ServiceBuilder(s).editMetadata().addToLabels(labels(labels)).endMetadata().build();
  }

  public static ServicePort port(String name, int port, Object target) {
    return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
        .withTargetPort(target instanceof Integer i ? new IntOrString(i) : new IntOrString((String) target))
        .build();
  }

  /** A waypoint Gateway; {@code waypointFor} null leaves the label off. */
  public static Gateway waypoint(String ns, String name, String waypointFor) {
    GatewayBuilder b = new GatewayBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withGatewayClassName("istio-waypoint")
            .addNewListener().withName("mesh").withPort(15008).withProtocol("HBONE").endListener()
        .endSpec();
    if (waypointFor != null) {
      b.editMetadata().addToLabels(MeshLabels.WAYPOINT_FOR, waypointFor).endMetadata();
    }
    return b.build();
  }

  /** A per-service-account waypoint. */
  public static Gateway serviceAccountWaypoint(String ns, String name, String serviceAccount) {
    return new GatewayBuilder(waypoint(ns, name, null)).editMetadata()
        .addToAnnotations(MeshLabels.SERVICE_ACCOUNT_ANNOTATION, serviceAccount).endMetadata().build();
  }

  /** A ready instance of a waypoint, running as a service account named after it. */
  public static Pod waypointPod(String ns, String gateway, String node, String ip) {
    return pod(ns, gateway + "-abc12", node, ip, gateway, MeshLabels.GATEWAY_NAME, gateway);
  }

  public static AuthorizationPolicy policy(String ns, String name, AuthorizationPolicySpec spec) {
    return new AuthorizationPolicy(meta(ns, name, Map.of()), spec);
  }

  public static AuthorizationPolicySpec spec(Map<String, String> selector, String action,
      AuthorizationPolicySpec.Rule... rules) {
    return new AuthorizationPolicySpec(selector == null ? null : new WorkloadSelector(selector), null, null, action,
        null, rules == null ? null : List.of(rules));
  }

  public static PeerAuthentication peerAuthentication(String ns, String name, Map<String, String> selector,
      String mode, String... portModes) {
    Map<String, PeerAuthenticationSpec.Mtls> ports = new LinkedHashMap<>();
    for (int i = 0; i < portModes.length; i += 2) {
      ports.put(portModes[i], new PeerAuthenticationSpec.Mtls(portModes[i + 1]));
    }
    return new PeerAuthentication(meta(ns, name, Map.of()), new PeerAuthenticationSpec(
        selector == null ? null : new WorkloadSelector(selector), new PeerAuthenticationSpec.Mtls(mode), ports));
  }

  public static MeshModel model(HasMetadata... objects) {
    return MeshModel.of(new ArrayList<>(List.of(objects)), MeshConfig.defaults());
  }
}
