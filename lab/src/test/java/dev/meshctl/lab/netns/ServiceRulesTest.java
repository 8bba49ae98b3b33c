package dev.meshctl.lab.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRulesTest {

  @Test
  void spreadsTrafficEquallyOverEndpoints() {
    String rules = ServiceRules.render(List.of(new ServiceRules.ServicePort("default/reviews", "10.96.0.12", 9080,
        "TCP", List.of("10.244.1.2:9080", "10.244.2.2:9080", "10.244.3.2:9080"))));

    assertThat(rules).startsWith("*nat\n:MESHLAB-SERVICES - [0:0]\n").endsWith("COMMIT\n");
    List<String> lines = rules.lines().filter(l -> l.startsWith("-A")).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("-d 10.96.0.12/32 -p tcp -m tcp --dport 9080")
        .contains("--probability 0.3333333333").endsWith("--to-destination 10.244.1.2:9080");
    assertThat(lines.get(1)).contains("--probability 0.5000000000").endsWith("10.244.2.2:9080");
    assertThat(lines.get(2)).doesNotContain("statistic").endsWith("10.244.3.2:9080");
  }

  @Test
  void serviceWithoutEndpointsHasNoRules() {
    String rules = ServiceRules.render(List.of(
        new ServiceRules.ServicePort("default/x", "10.96.0.10", 80, "TCP", List.of())));

    assertThat(rules.lines().filter(l -> l.startsWith("-A"))).isEmpty();
  }

  @Test
  void baseHooksTheChainIntoPreroutingAndOutput() {
    assertThat(ServiceRules.base()).contains("-A PREROUTING -j MESHLAB-SERVICES")
        .contains("-A OUTPUT -j MESHLAB-SERVICES");
  }
}
