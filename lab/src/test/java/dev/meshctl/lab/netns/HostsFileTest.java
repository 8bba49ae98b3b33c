package dev.meshctl.lab.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostsFileTest {

  @Test
  void listsShortNamesOnlyForThePodsOwnNamespace() {
    String hosts = HostsFile.hosts("default", "curl-abc", "10.244.1.3", List.of(
        new HostsFile.Entry("default", "productpage", "10.96.0.13"),
        new HostsFile.Entry("other", "httpbin", "10.96.0.20")));

    assertThat(hosts).contains("10.244.1.3\tcurl-abc\n")
        .contains("10.96.0.13\tproductpage productpage.default productpage.default.svc "
            + "productpage.default.svc.cluster.local\n")
        .contains("10.96.0.20\thttpbin.other httpbin.other.svc httpbin.other.svc.cluster.local\n")
        .doesNotContain("\thttpbin ");
  }

  @Test
  void resolvConfSearchesLikeKubernetesAndFailsFast() {
    assertThat(HostsFile.resolvConf("shop"))
        .startsWith("search shop.svc.cluster.local svc.cluster.local cluster.local\n")
        .contains("nameserver 127.0.0.1").contains("attempts:1");
  }
}
