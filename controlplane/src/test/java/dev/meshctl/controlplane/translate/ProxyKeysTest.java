package dev.meshctl.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.ProxyType;
import org.junit.jupiter.api.Test;

class ProxyKeysTest {

  @Test
  void nodeAgentsAreKeyedByNodeName() {
    assertThat(ProxyKeys.of(Node.newBuilder().setId("node-agent~whatever").setNodeName("n1").build()))
        .isEqualTo("node-agent~n1").isEqualTo(ProxyKeys.nodeAgent("n1"));
    assertThat(ProxyKeys.of(Node.newBuilder().setId("node-agent~n2").build())).isEqualTo("node-agent~n2");
  }

  @Test
  void waypointsAreKeyedByGateway() {
    Node plain = Node.newBuilder().setType(ProxyType.WAYPOINT).setId("apps/waypoint").setNodeName("n2").build();
    Node prefixed = plain.toBuilder().setId("waypoint~apps/waypoint").build();
    assertThat(ProxyKeys.of(plain)).isEqualTo("waypoint~apps/waypoint").isEqualTo(ProxyKeys.waypoint("apps", "waypoint"));
    assertThat(ProxyKeys.of(prefixed)).isEqualTo("waypoint~apps/waypoint");
    assertThat(ProxyKeys.function().proxyKey(plain)).isEqualTo("waypoint~apps/waypoint");
  }

  @Test
  void proxiesThatDoNotSayWhoTheyAreAreRefused() {
    assertThatThrownBy(() -> ProxyKeys.of(Node.newBuilder().setId("agent").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node_name");
    for (String id : new String[] {"waypoint~apps", "waypoint~/x", "apps/", "a/b/c"}) {
      assertThatThrownBy(() -> ProxyKeys.of(Node.newBuilder().setType(ProxyType.WAYPOINT).setId(id).build()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("waypoint~<namespace>/<gateway name>");
    }
  }
}
