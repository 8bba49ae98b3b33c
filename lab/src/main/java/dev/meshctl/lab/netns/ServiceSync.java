package dev.meshctl.lab.netns;

import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.workload.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Makes every node's service rules and every pod's DNS files match the services and ready pods in the store. */
final class ServiceSync {
  private final CommandRunner run;
  private final PodRuntime runtime;

  ServiceSync(CommandRunner run, PodRuntime runtime) {
    this.run = run;
    this.runtime = runtime;
  }

  /** Installs the chain and its hooks on a new node. */
  void installBase(NodeInfo node) {
    run.check(List.of("ip", "netns", "exec", node.netns(), "iptables-restore", "--noflush"), ServiceRules.base());
  }

  /** Rewrites the service rules on every node and the DNS files of every pod. */
  void sync(List<NodeInfo> nodes, List<Service> services, List<Pod> pods) {
    String rules = ServiceRules.render(servicePorts(services, pods));
    for (NodeInfo node : nodes) {
      run.check(List.of("ip", "netns", "exec", node.netns(), "iptables-restore", "--noflush"), rules);
    }
    List<HostsFile.Entry> entries = entries(services);
    for (Pod pod : pods) {
      String ns = PodRuntime.netns(pod);
      if (ns == null || pod.getStatus() == null || pod.getStatus().getPodIP() == null) {
        continue;
      }
      runtime.writeDnsFiles(ns, hosts(pod, entries), HostsFile.resolvConf(pod.getMetadata().getNamespace()));
    }
  }

  /** Renders the hosts file a pod should have now. */
  static String hosts(Pod pod, List<HostsFile.Entry> entries) {
    return HostsFile.hosts(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        pod.getStatus().getPodIP(), entries);
  }

  static List<HostsFile.Entry> entries(List<Service> services) {
    List<HostsFile.Entry> entries = new ArrayList<>();
    for (Service s : services) {
      String vip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
      if (vip != null && !vip.isBlank()) {
        entries.add(new HostsFile.Entry(s.getMetadata().getNamespace(), s.getMetadata().getName(), vip));
      }
    }
    entries.sort(Comparator.comparing(HostsFile.Entry::namespace).thenComparing(HostsFile.Entry::name));
    return entries;
  }

  static List<ServiceRules.ServicePort> servicePorts(List<Service> services, List<Pod> pods) {
    List<ServiceRules.ServicePort> ports = new ArrayList<>();
    for (Service s : services) {
      String vip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
      if (vip == null || vip.isBlank()) {
        continue;
      }
      String name = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
      for (Endpoints.PortEndpoints pe : Endpoints.of(s, pods)) {
        String proto = pe.port().getProtocol() == null ? "TCP" : pe.port().getProtocol();
        ports.add(new ServiceRules.ServicePort(name, vip, pe.port().getPort(), proto, pe.addresses()));
      }
    }
    return ports;
  }
}
