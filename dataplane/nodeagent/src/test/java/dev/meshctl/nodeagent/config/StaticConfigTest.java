package dev.meshctl.nodeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.ConfigState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticConfigTest {

  static final String GOOD = """
      workloads:
      - uid: default/curl-1
        name: curl-1
        namespace: default
        node: node-1
        addresses: [10.244.1.5]
        serviceAccount: curl
        tunnelProtocol: HBONE
      - uid: shop/server-1
        name: server-1
        namespace: shop
        node: node-2
        addresses: ["10.244.2.7"]
        service_account: server
        services:
          shop/server.shop.svc.cluster.local:
            ports: [{servicePort: 80, targetPort: 8080}]
      services:
      - name: server
        namespace: shop
        hostname: server.shop.svc.cluster.local
        addresses: [10.96.0.10]
        ports: [{servicePort: 80, targetPort: 8080, appProtocol: http}]
      authorizations:
      - name: allow-curl
        namespace: shop
        action: ALLOW
      """;

  @TempDir
  Path dir;

  @Test
  void parsesEveryListIntoTheProtos() {
    ConfigState state = StaticConfig.parse(GOOD, "mesh.yaml");

    Workload curl = state.resource(Workload.class, "default/curl-1").orElseThrow();
    assertThat(curl.getServiceAccount()).isEqualTo("curl");
    assertThat(curl.getTunnelProtocol()).isEqualTo(TunnelProtocol.HBONE);
    assertThat(curl.getAddressesList()).containsExactly("10.244.1.5");
    assertThat(state.resource(Workload.class, "shop/server-1").orElseThrow().getServiceAccount()).isEqualTo("server");
    Service server = state.resource(Service.class, "shop/server.shop.svc.cluster.local").orElseThrow();
    assertThat(server.getPorts(0).getTargetPort()).isEqualTo(8080);
    assertThat(state.resources(Authorization.class)).containsKey("shop/allow-curl");
  }

  @Test
  void anEmptyFileIsAnEmptyMesh() {
    ConfigState state = StaticConfig.parse("", "empty.yaml");
    assertThat(state.size()).isZero();
    assertThat(state.typeUrls()).hasSize(4);
  }

  @Test
  void namesTheEntryAndTheUnknownField() {
    String yaml = GOOD.replace("serviceAccount: curl", "serviceAcount: curl");
    assertThatThrownBy(() -> StaticConfig.parse(yaml, "mesh.yaml"))
        .isInstanceOf(StaticConfigException.class)
        .hasMessageContaining("mesh.yaml: workloads[0]")
        .hasMessageContaining("serviceAcount");
  }

  @Test
  void refusesAWorkloadWithoutAddresses() {
    String yaml = GOOD.replace("  addresses: [10.244.1.5]\n", "");
    assertThatThrownBy(() -> StaticConfig.parse(yaml, "mesh.yaml"))
        .isInstanceOf(StaticConfigException.class)
        .hasMessageContaining("workload 'default/curl-1'")
        .hasMessageContaining("has no addresses");
  }

  @Test
  void refusesAnAddressThatIsNotAnIp() {
    String yaml = GOOD.replace("[10.96.0.10]", "[server.example]");
    assertThatThrownBy(() -> StaticConfig.parse(yaml, "mesh.yaml"))
        .hasMessageContaining("service 'shop/server.shop.svc.cluster.local'")
        .hasMessageContaining("'server.example' which is not an IP address");
  }

  @Test
  void refusesAMissingUidAndDuplicates() {
    assertThatThrownBy(() -> StaticConfig.parse(GOOD.replace("- uid: shop/server-1\n  name", "- name"), "m.yaml"))
        .hasMessageContaining("workloads[1]").hasMessageContaining("'uid' is required");
    assertThatThrownBy(() -> StaticConfig.parse(GOOD.replace("shop/server-1", "default/curl-1"), "m.yaml"))
        .hasMessageContaining("workloads[1]").hasMessageContaining("already defined by workloads[0]");
  }

  @Test
  void refusesUnknownTopLevelKeysBadShapesAndBadYaml() {
    assertThatThrownBy(() -> StaticConfig.parse("workload: []", "m.yaml"))
        .hasMessageContaining("unknown top-level key 'workload'");
    assertThatThrownBy(() -> StaticConfig.parse("workloads: {uid: a}", "m.yaml"))
        .hasMessageContaining("'workloads' must be a list");
    assertThatThrownBy(() -> StaticConfig.parse("workloads: [1]", "m.yaml"))
        .hasMessageContaining("workloads[0]: must be a mapping");
    assertThatThrownBy(() -> StaticConfig.parse("workloads: [\n", "m.yaml"))
        .hasMessageContaining("m.yaml: not valid YAML");
    assertThatThrownBy(() -> StaticConfig.parse("- a", "m.yaml"))
        .hasMessageContaining("the top level must be a mapping");
  }

  @Test
  void refusesAPolicyItCannotEnforce() {
    String yaml = GOOD.replace("action: ALLOW", "action: ALLOW\n  rules: [{matches: [{matches: [{sourceIps: [{address: 10.0.0.0/99}]}]}]}]");
    assertThatThrownBy(() -> StaticConfig.parse(yaml, "m.yaml")).hasMessageContaining("allow-curl");
  }

  @Test
  void theSourceReloadsChangesAndKeepsTheLastGoodConfigOnABadEdit() throws Exception {
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, GOOD);
    List<ConfigState> seen = new ArrayList<>();
    try (StaticConfigSource source = new StaticConfigSource(file, Duration.ZERO)) {
      source.start(seen::add);
      assertThat(source.synced()).isTrue();
      assertThat(seen).hasSize(1);
      assertThat(source.reloadIfChanged()).isFalse();

      Files.writeString(file, GOOD.replace("serviceAccount: curl", "bogus: 1"));
      assertThat(source.reloadIfChanged()).isFalse();
      assertThat(source.current()).isEqualTo(seen.get(0));
      assertThat(source.status().lastError()).contains("workloads[0]").contains("bogus");

      Files.writeString(file, GOOD.replace("10.244.1.5", "10.244.1.6"));
      assertThat(source.reloadIfChanged()).isTrue();
      assertThat(seen).hasSize(2);
      assertThat(source.status().lastError()).isEmpty();
      assertThat(source.current().resource(Workload.class, "default/curl-1").orElseThrow().getAddresses(0))
          .isEqualTo("10.244.1.6");
    }
  }

  @Test
  void theSourceRefusesToStartOnABrokenFile() throws Exception {
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(file, "workloads: [1]");
    try (StaticConfigSource source = new StaticConfigSource(file, Duration.ZERO)) {
      assertThatThrownBy(() -> source.start(s -> { })).isInstanceOf(StaticConfigException.class)
          .hasMessageContaining(file.toString());
      assertThat(source.synced()).isFalse();
    }
    try (StaticConfigSource missing = new StaticConfigSource(dir.resolve("nope.yaml"), Duration.ZERO)) {
      assertThatThrownBy(() -> missing.start(s -> { })).hasMessageContaining("cannot read static config");
    }
  }
}
