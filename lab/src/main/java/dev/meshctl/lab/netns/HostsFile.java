package dev.meshctl.lab.netns;

import java.util.List;

/**
 * Renders a pod's /etc/hosts and resolv.conf. {@code ip netns exec} bind-mounts {@code /etc/netns/NS/hosts} over
 * /etc/hosts, and the files resolver ignores search domains, so every spelling a pod may use is listed:
 * {@code svc} (own namespace), {@code svc.ns}, {@code svc.ns.svc}, {@code svc.ns.svc.cluster.local}.
 */
public final class HostsFile {
  public static final String CLUSTER_DOMAIN = "cluster.local";

  /** Names one service address. */
  public record Entry(String namespace, String name, String vip) {}

  private HostsFile() {}

  /** Renders the hosts file of pod {@code podName} in {@code podNamespace}. */
  public static String hosts(String podNamespace, String podName, String podIp, List<Entry> services) {
    StringBuilder sb = new StringBuilder();
    sb.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    sb.append(podIp).append('\t').append(podName).append('\n');
    for (Entry e : services) {
      sb.append(e.vip()).append('\t');
      if (e.namespace().equals(podNamespace)) {
        sb.append(e.name()).append(' ');
      }
      String qualified = e.name() + "." + e.namespace();
      sb.append(qualified).append(' ').append(qualified).append(".svc ")
          .append(qualified).append(".svc.").append(CLUSTER_DOMAIN).append('\n');
    }
    return sb.toString();
  }

  /** Renders resolv.conf: the search path Kubernetes uses and a nameserver that fails fast (nothing listens). */
  public static String resolvConf(String podNamespace) {
    return "search " + podNamespace + ".svc." + CLUSTER_DOMAIN + " svc." + CLUSTER_DOMAIN + " " + CLUSTER_DOMAIN
        + "\nnameserver 127.0.0.1\noptions ndots:5 timeout:1 attempts:1\n";
  }
}
