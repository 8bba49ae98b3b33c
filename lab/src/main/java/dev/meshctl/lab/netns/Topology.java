package dev.meshctl.lab.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the ip(8) commands that wire a lab (DESIGN.md section 5): a bridge namespace, nodes joined to it by veths,
 * pods joined to their node by a veth created directly between the two namespaces. Pure: it returns commands.
 */
public final class Topology {
  private final NetnsNames names;

  public Topology(NetnsNames names) {
    this.names = names;
  }

  /** Plans the namespace that holds the cluster bridge. */
  public List<List<String>> network() {
    String ns = names.network();
    return List.of(
        List.of("ip", "netns", "add", ns),
        List.of("ip", "-n", ns, "link", "add", NetnsNames.BRIDGE, "type", "bridge"),
        List.of("ip", "-n", ns, "link", "set", "lo", "up"),
        List.of("ip", "-n", ns, "link", "set", NetnsNames.BRIDGE, "up"));
  }

  /** Plans node {@code index} of {@code nodeCount}: its namespace, link to the bridge, address and pod routes. */
  public List<List<String>> node(int index, int nodeCount) {
    String ns = names.node(index);
    String port = NetnsNames.bridgePort(index);
    List<List<String>> cmds = new ArrayList<>();
    cmds.add(List.of("ip", "netns", "add", ns));
    cmds.add(List.of("ip", "-n", names.network(), "link", "add", port, "type", "veth", "peer", "name",
        NetnsNames.NODE_IFACE, "netns", ns));
    cmds.add(List.of("ip", "-n", names.network(), "link", "set", port, "master", NetnsNames.BRIDGE, "up"));
    cmds.add(List.of("ip", "-n", ns, "addr", "add", AddressPlan.nodeIp(index) + "/" + AddressPlan.NODE_PREFIX_LENGTH,
        "dev", NetnsNames.NODE_IFACE));
    cmds.add(List.of("ip", "-n", ns, "link", "set", NetnsNames.NODE_IFACE, "up"));
    cmds.add(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
    for (int other = 1; other <= nodeCount; other++) {
      if (other != index) {
        cmds.add(List.of("ip", "-n", ns, "route", "add", AddressPlan.podCidr(other), "via",
            AddressPlan.nodeIp(other)));
      }
    }
    cmds.add(List.of("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1"));
    return cmds;
  }

  /** Plans the batch (for {@code ip -n NODE -batch -}) that links pod {@code id} to its node. */
  public String podNodeSide(long id, int nodeIndex, String podIp) {
    String veth = NetnsNames.podVeth(id);
    return String.join("\n",
        "link add " + veth + " type veth peer name " + NetnsNames.POD_IFACE + " netns " + names.pod(id),
        "addr add " + AddressPlan.podGateway(nodeIndex) + "/32 dev " + veth,
        "link set " + veth + " up",
        "route add " + podIp + "/32 dev " + veth) + "\n";
  }

  /** Plans the batch (for {@code ip -n POD -batch -}) that addresses pod {@code id} and routes it via its node. */
  public String podSide(int nodeIndex, String podIp) {
    String gw = AddressPlan.podGateway(nodeIndex);
    return String.join("\n",
        "addr add " + podIp + "/32 dev " + NetnsNames.POD_IFACE,
        "link set " + NetnsNames.POD_IFACE + " up",
        "link set lo up",
        "route add " + gw + " dev " + NetnsNames.POD_IFACE + " scope link",
        "route add default via " + gw + " dev " + NetnsNames.POD_IFACE) + "\n";
  }
}
