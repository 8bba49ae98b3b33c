package dev.meshctl.lab.workload;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides, for one Deployment, how many pods to start and which to stop: pods of an old template are replaced, extra
 * replicas stop newest first. Pure.
 */
public record DeploymentPlan(Deployment deployment, int toCreate, List<Pod> toDelete) {

  /** Compares a Deployment with the pods it owns now. */
  public static DeploymentPlan of(Deployment deployment, List<Pod> owned) {
    String hash = PodFactory.templateHash(deployment.getSpec().getTemplate());
    Integer r = deployment.getSpec().getReplicas();
    int replicas = r == null ? 1 : r;
    List<Pod> delete = new ArrayList<>();
    List<Pod> current = new ArrayList<>();
    for (Pod p : owned) {
      String h = p.getMetadata().getLabels() == null ? null
          : p.getMetadata().getLabels().get(LabAnnotations.TEMPLATE_HASH_LABEL);
      (hash.equals(h) ? current : delete).add(p);
    }
    current.sort(Comparator.comparing(DeploymentPlan::podId));
    while (current.size() > replicas) {
      delete.add(current.remove(current.size() - 1));
    }
    return new DeploymentPlan(deployment, replicas - current.size(), List.copyOf(delete));
  }

  /** Tells whether the plan changes nothing. */
  public boolean empty() {
    return toCreate == 0 && toDelete.isEmpty();
  }

  private static long podId(Pod p) {
    var a = p.getMetadata().getAnnotations();
    String id = a == null ? null : a.get(LabAnnotations.POD_ID);
    return id == null ? Long.MAX_VALUE : Long.parseLong(id);
  }

  /** Tells whether {@code pod} is controlled by a Deployment named {@code name}. */
  public static boolean ownedBy(Pod pod, String name) {
    var refs = pod.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(o -> "Deployment".equals(o.getKind()) && name.equals(o.getName()));
  }
}
