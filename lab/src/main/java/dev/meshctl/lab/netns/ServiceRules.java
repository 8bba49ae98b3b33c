package dev.meshctl.lab.netns;

import java.util.List;
import java.util.Locale;

/**
 * Renders kube-proxy-like rules for one node: DNAT from service VIP:port to a ready endpoint, chosen at random with
 * equal weights, in the nat table chain {@value #CHAIN} that PREROUTING and OUTPUT jump to. Pure: it returns
 * {@code iptables-restore --noflush} input; declaring the chain in the input replaces its rules atomically.
 */
public final class ServiceRules {
  public static final String CHAIN = "MESHLAB-SERVICES";

  /** Describes one service port and its ready endpoints ("ip:port"). */
  public record ServicePort(String service, String vip, int port, String protocol, List<String> endpoints) {}

  private ServiceRules() {}

  /** Renders the rules that create the chain and hook it into PREROUTING and OUTPUT (once per node). */
  public static String base() {
    return "*nat\n:" + CHAIN + " - [0:0]\n-A PREROUTING -j " + CHAIN + "\n-A OUTPUT -j " + CHAIN + "\nCOMMIT\n";
  }

  /** Renders the complete contents of the chain for {@code ports}. */
  public static String render(List<ServicePort> ports) {
    StringBuilder sb = new StringBuilder("*nat\n:").append(CHAIN).append(" - [0:0]\n");
    for (ServicePort sp : ports) {
      String proto = sp.protocol().toLowerCase(Locale.ROOT);
      int n = sp.endpoints().size();
      for (int i = 0; i < n; i++) {
        sb.append("-A ").append(CHAIN).append(" -d ").append(sp.vip()).append("/32 -p ").append(proto)
            .append(" -m ").append(proto).append(" --dport ").append(sp.port())
            .append(" -m comment --comment \"").append(sp.service()).append("\"");
        int remaining = n - i;
        if (remaining > 1) {
          sb.append(" -m statistic --mode random --probability ")
              .append(String.format(Locale.ROOT, "%.10f", 1.0 / remaining));
        }
        sb.append(" -j DNAT --to-destination ").append(sp.endpoints().get(i)).append('\n');
      }
    }
    return sb.append("COMMIT\n").toString();
  }
}
