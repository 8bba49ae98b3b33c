package dev.meshctl.controlplane.server;

import dev.meshctl.controlplane.ca.WorkloadDirectory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Knows which service accounts have pods on which node: what a node agent may ask the CA to sign. */
record PodDirectory(Set<String> entries) implements WorkloadDirectory {
  static final PodDirectory EMPTY = new PodDirectory(Set.of());

  static PodDirectory of(List<HasMetadata> objects) {
    Set<String> entries = new HashSet<>();
    for (HasMetadata o : objects) {
      if (o instanceof Pod p && p.getSpec() != null && p.getSpec().getNodeName() != null) {
        String sa = p.getSpec().getServiceAccountName() == null ? "default" : p.getSpec().getServiceAccountName();
        entries.add(key(p.getSpec().getNodeName(), p.getMetadata().getNamespace(), sa));
      }
    }
    return new PodDirectory(Set.copyOf(entries));
  }

  @Override
  public boolean runsOnNode(String node, String namespace, String serviceAccount) {
    return entries.contains(key(node, namespace, serviceAccount));
  }

  private static String key(String node, String ns, String sa) {
    return node + "\u0000" + ns + "\u0000" + sa;
  }
}
