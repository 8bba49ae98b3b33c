package dev.meshctl.lab.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {
  private final Topology topology = new Topology(new NetnsNames("t1"));

  @Test
  void nodeJoinsTheBridgeAndRoutesOtherNodesPodCidrs() {
    List<String> cmds = topology.node(2, 3).stream().map(c -> String.join(" ", c)).toList();

    assertThat(cmds).contains(
        "ip netns add mc-t1-node2",
        "ip -n mc-t1-net link add n2 type veth peer name eth0 netns mc-t1-node2",
        "ip -n mc-t1-net link set n2 master br0 up",
        "ip -n mc-t1-node2 addr add 172.18.0.12/24 dev eth0",
        "ip -n mc-t1-node2 route add 10.244.1.0/24 via 172.18.0.11",
        "ip -n mc-t1-node2 route add 10.244.3.0/24 via 172.18.0.13",
        "ip netns exec mc-t1-node2 sysctl -qw net.ipv4.ip_forward=1");
    assertThat(cmds).noneMatch(c -> c.contains("10.244.2.0/24"));
  }

  @Test
  void podIsLinkedDirectlyToItsNodeWithAGatewayRoute() {
    assertThat(topology.podNodeSide(7, 1, "10.244.1.5")).contains(
        "link add vp7 type veth peer name eth0 netns mc-t1-pod7",
        "addr add 10.244.1.1/32 dev vp7",
        "route add 10.244.1.5/32 dev vp7");
    assertThat(topology.podSide(1, "10.244.1.5")).contains(
        "addr add 10.244.1.5/32 dev eth0",
        "route add 10.244.1.1 dev eth0 scope link",
        "route add default via 10.244.1.1 dev eth0");
  }

  @Test
  void namesBelongToTheirLabOnly() {
    NetnsNames a = new NetnsNames("a");
    assertThat(a.owns("mc-a-net")).isTrue();
    assertThat(a.owns("mc-a-pod12")).isTrue();
    assertThat(a.owns("mc-a-node3")).isTrue();
    assertThat(a.owns("mc-a-b-net")).isFalse();
    assertThat(a.owns("mc-a-node1-net")).isFalse();
    assertThat(NetnsNames.podVeth(1234567890123L).length()).isLessThanOrEqualTo(15);
  }
}
