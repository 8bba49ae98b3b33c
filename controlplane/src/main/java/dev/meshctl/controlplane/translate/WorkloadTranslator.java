package dev.meshctl.controlplane.translate;

import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.api.mesh.WorkloadStatus;
import dev.meshctl.api.mesh.WorkloadType;
import dev.meshctl.controlplane.model.MeshLabels;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Translates a pod into the mesh's Workload. */
final class WorkloadTranslator {
  private WorkloadTranslator() {}

  /** Returns the resource name (and uid) of a pod's Workload: {@code Kubernetes//Pod/<ns>/<name>}. */
  static String uid(Pod pod) {
    return "Kubernetes//Pod/" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /**
   * Translates a pod that has an IP.
   *
   * @param services the Services (with addresses) that select the pod
   * @param policies names of WORKLOAD_SELECTOR Authorizations that select it
   */
  static Workload translate(MeshModel model, Pod pod, List<Service> services, Collection<String> policies) {
    Map<String, String> labels = Pods.labels(pod);
    MeshModel.Owner owner = model.owner(pod);
    boolean enrolled = model.enrolled(pod);
    Workload.Builder out = Workload.newBuilder()
        .setUid(uid(pod))
        .setName(pod.getMetadata().getName())
        .setNamespace(pod.getMetadata().getNamespace())
        .setNode(Pods.node(pod))
        .addAllAddresses(Pods.addresses(pod))
        .setServiceAccount(Pods.serviceAccount(pod))
        .setTrustDomain(model.config().trustDomain())
        .setWorkloadName(owner.name())
        .setWorkloadType(type(owner.kind()))
        .setCanonicalName(first(labels, owner.name(), MeshLabels.CANONICAL_NAME, MeshLabels.APP))
        .setCanonicalRevision(first(labels, "latest", MeshLabels.CANONICAL_REVISION, MeshLabels.VERSION))
        .putAllLabels(labels)
        .setTunnelProtocol(enrolled ? TunnelProtocol.HBONE : TunnelProtocol.NONE)
        .setStatus(Pods.healthy(pod) ? WorkloadStatus.HEALTHY : WorkloadStatus.UNHEALTHY)
        .addAllAuthorizationPolicies(policies);
    if (enrolled) {
      model.readyWaypoint(model.waypointFor(pod)).ifPresent(w -> out.setWaypoint(ServiceTranslator.gatewayAddress(w)));
    }
    for (Service service : services) {
      List<Port> ports = ServiceTranslator.portsFor(service, pod);
      out.putServices(ServiceTranslator.key(service, model.config()), PortList.newBuilder().addAllPorts(ports).build());
    }
    return out.build();
  }

  private static String first(Map<String, String> labels, String fallback, String... keys) {
    for (String key : keys) {
      String value = labels.get(key);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return fallback;
  }

  private static WorkloadType type(String kind) {
    return switch (kind) {
      case "Deployment" -> WorkloadType.DEPLOYMENT;
      case "ReplicaSet" -> WorkloadType.REPLICASET;
      case "StatefulSet" -> WorkloadType.STATEFULSET;
      case "DaemonSet" -> WorkloadType.DAEMONSET;
      case "Job" -> WorkloadType.JOB;
      case "CronJob" -> WorkloadType.CRONJOB;
      default -> WorkloadType.POD;
    };
  }
}
