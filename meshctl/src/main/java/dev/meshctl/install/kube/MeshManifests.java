package dev.meshctl.install.kube;

import dev.meshctl.controlplane.kube.CaSecrets;
import dev.meshctl.controlplane.kube.KubeNames;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders everything {@code meshctl install} puts on a cluster, in apply order: CRDs, the mesh namespace, service
 * accounts and RBAC, the plug-in CA Secret when one is given, the control plane (Deployment + Service on 15012) and
 * the node agent (a hostNetwork DaemonSet with NET_ADMIN and NET_RAW). The control plane keeps the root it generates in
 * Secret {@code meshctl-ca-secret} (its state directory is an emptyDir), so its Role may read that Secret and
 * {@code cacerts} and create Secrets in the mesh namespace only. Waypoint Deployments are not here: the control plane
 * creates them for waypoint Gateways.
 */
public final class MeshManifests {
  static final int GRPC_PORT = 15012;
  static final int READINESS_PORT = 15021;
  static final String TOKEN_DIR = "/var/run/secrets/meshctl";
  static final String ROOT_CERT_DIR = "/var/run/meshctl";
  /** The Role and RoleBinding that let the control plane keep its CA in Secrets. */
  static final String CA_ROLE = KubeNames.CONTROL_PLANE + "-ca";

  private MeshManifests() {}

  /** Returns every object to apply, CRDs first. */
  public static List<HasMetadata> render(KubeInstallOptions options) {
    Objects.requireNonNull(options, "options");
    List<HasMetadata> out = new ArrayList<>(CrdManifests.all());
    out.addAll(mesh(options));
    return out;
  }

  /** Returns the mesh's own objects (no CRDs). */
  public static List<HasMetadata> mesh(KubeInstallOptions o) {
    String ns = o.namespace();
    Map<String, String> managed = Map.of(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE);
    List<HasMetadata> out = new ArrayList<>();
    out.add(new NamespaceBuilder().withNewMetadata().withName(ns).withLabels(managed)
        // The mesh's own pods are never captured.
        .addToLabels("istio.io/dataplane-mode", "none").endMetadata().build());
    for (String account : List.of(KubeNames.CONTROL_PLANE, KubeNames.NODE_AGENT)) {
      out.add(new ServiceAccountBuilder().withNewMetadata().withNamespace(ns).withName(account).withLabels(managed)
          .endMetadata().build());
    }
    out.add(new ClusterRoleBuilder().withNewMetadata().withName(KubeNames.CONTROL_PLANE).withLabels(managed)
        .endMetadata().withRules(controlPlaneRules()).build());
    out.add(new ClusterRoleBindingBuilder().withNewMetadata().withName(KubeNames.CONTROL_PLANE).withLabels(managed)
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(KubeNames.CONTROL_PLANE).endRoleRef().addNewSubject().withKind("ServiceAccount")
        .withNamespace(ns).withName(KubeNames.CONTROL_PLANE).endSubject().build());
    out.add(new RoleBuilder().withNewMetadata().withNamespace(ns).withName(CA_ROLE).withLabels(managed).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                .withResourceNames(KubeNames.CA_SECRET, KubeNames.PLUGIN_CA_SECRET).withVerbs("get").build(),
            // Create cannot be limited by name (the name is not known when it is authorized).
            rule("", List.of("secrets"), List.of("create")))
        .build());
    out.add(new RoleBindingBuilder().withNewMetadata().withNamespace(ns).withName(CA_ROLE).withLabels(managed)
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(CA_ROLE)
        .endRoleRef().addNewSubject().withKind("ServiceAccount").withNamespace(ns).withName(KubeNames.CONTROL_PLANE)
        .endSubject().build());
    o.pluginCa().ifPresent(pems -> out.add(CaSecrets.plugin(ns, pems)));
    out.add(controlPlaneDeployment(o, managed));
    out.add(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(KubeNames.CONTROL_PLANE)
        .withLabels(managed).endMetadata().withNewSpec().withSelector(Map.of("app", KubeNames.CONTROL_PLANE))
        .addNewPort().withName("grpc").withPort(GRPC_PORT).withTargetPort(new IntOrString(GRPC_PORT)).endPort()
        .endSpec().build());
    out.add(nodeAgentDaemonSet(o, managed));
    return out;
  }

  private static List<PolicyRule> controlPlaneRules() {
    List<String> read = List.of("get", "list", "watch");
    List<String> write = List.of("get", "list", "watch", "create", "update", "patch", "delete");
    return List.of(
        rule("", List.of("namespaces", "pods", "services"), read),
        rule("", List.of("serviceaccounts"), write),
        rule("", List.of("configmaps"), write),
        rule("apps", List.of("deployments"), write),
        rule("security.istio.io", List.of("authorizationpolicies", "peerauthentications"), read),
        rule("gateway.networking.k8s.io", List.of("gateways", "httproutes"), read),
        rule("apiextensions.k8s.io", List.of("customresourcedefinitions"), List.of("get", "list")),
        rule("authentication.k8s.io", List.of("tokenreviews"), List.of("create")),
        // Waypoint Services are written; all Services are read above.
        rule("", List.of("services"), List.of("create", "update", "patch", "delete")));
  }

  private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
  }

  private static HasMetadata controlPlaneDeployment(KubeInstallOptions o, Map<String, String> managed) {
    Map<String, String> app = Map.of("app", KubeNames.CONTROL_PLANE);
    Container container = new ContainerBuilder().withName("control-plane").withImage(o.image())
        .withImagePullPolicy("IfNotPresent")
        .withArgs("component", "control-plane", "--source", "kubernetes", "--namespace", o.namespace(),
            "--state-dir", "/var/lib/meshctl", "--listen", "0.0.0.0:" + GRPC_PORT,
            "--trust-domain", o.trustDomain(),
            "--server-name", KubeNames.controlPlaneHost(o.namespace()),
            "--server-name", KubeNames.controlPlaneHost(o.namespace()) + ".cluster.local",
            "--ca-secret", KubeNames.CA_SECRET)
        .withEnv(new EnvVarBuilder().withName(KubeNames.IMAGE_ENV).withValue(o.image()).build())
        .addNewPort().withName("grpc").withContainerPort(GRPC_PORT).endPort()
        .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(GRPC_PORT)).endTcpSocket()
        .withPeriodSeconds(5).endReadinessProbe()
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L).withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .addNewVolumeMount().withName("state").withMountPath("/var/lib/meshctl").endVolumeMount()
        .build();
    return new DeploymentBuilder().withNewMetadata().withNamespace(o.namespace()).withName(KubeNames.CONTROL_PLANE)
        .withLabels(managed).addToLabels(app).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(app).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(app).endMetadata()
        .withNewSpec().withServiceAccountName(KubeNames.CONTROL_PLANE).withContainers(container)
        .withVolumes(new VolumeBuilder().withName("state").withNewEmptyDir().endEmptyDir().build())
        .endSpec().endTemplate().endSpec().build();
  }

  private static HasMetadata nodeAgentDaemonSet(KubeInstallOptions o, Map<String, String> managed) {
    Map<String, String> app = Map.of("app", KubeNames.NODE_AGENT);
    Capabilities caps = new CapabilitiesBuilder().withAdd("NET_ADMIN", "NET_RAW").withDrop("ALL").build();
    Container container = new ContainerBuilder().withName("node-agent").withImage(o.image())
        .withImagePullPolicy("IfNotPresent")
        .withArgs("component", "node-agent", "--control-plane", KubeNames.controlPlaneHost(o.namespace()) + ":"
            + GRPC_PORT, "--token-file", TOKEN_DIR + "/token", "--root-cert", ROOT_CERT_DIR + "/"
            + KubeNames.ROOT_CERT_KEY, "--trust-domain", o.trustDomain())
        .withEnv(fieldEnv("NODE_NAME", "spec.nodeName"), fieldEnv("NODE_IP", "status.hostIP"))
        .addNewPort().withName("readiness").withContainerPort(READINESS_PORT).endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/healthz/ready").withPort(new IntOrString(READINESS_PORT))
        .endHttpGet().withPeriodSeconds(5).endReadinessProbe()
        // iptables needs root in the node's network namespace; only the two network capabilities are kept.
        .withNewSecurityContext().withRunAsUser(0L).withPrivileged(false).withAllowPrivilegeEscalation(false)
        .withCapabilities(caps).endSecurityContext()
        .addNewVolumeMount().withName("token").withMountPath(TOKEN_DIR).withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName("root-cert").withMountPath(ROOT_CERT_DIR).withReadOnly(true).endVolumeMount()
        .build();
    Volume token = new VolumeBuilder().withName("token").withNewProjected().addNewSource()
        .withNewServiceAccountToken().withAudience(KubeNames.TOKEN_AUDIENCE).withExpirationSeconds(3600L)
        .withPath("token").endServiceAccountToken().endSource().endProjected().build();
    Volume rootCert = new VolumeBuilder().withName("root-cert").withNewConfigMap()
        .withName(KubeNames.ROOT_CERT_CONFIG_MAP).endConfigMap().build();
    return new DaemonSetBuilder().withNewMetadata().withNamespace(o.namespace()).withName(KubeNames.NODE_AGENT)
        .withLabels(managed).addToLabels(app).endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(app).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(app).endMetadata()
        .withNewSpec().withServiceAccountName(KubeNames.NODE_AGENT).withHostNetwork(true)
        .withDnsPolicy("ClusterFirstWithHostNet").withPriorityClassName("system-node-critical")
        .addNewToleration().withOperator("Exists").endToleration()
        .withContainers(container).withVolumes(token, rootCert)
        .endSpec().endTemplate().endSpec().build();
  }

  private static EnvVar fieldEnv(String name, String path) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef()
        .endValueFrom().build();
  }
}
