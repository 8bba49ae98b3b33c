package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigCommandTest {
  private static final String WORKLOADS = """
      {"node": "node-1", "local": [],
       "all": [
        {"namespace": "default", "name": "curl-abc", "address": "10.244.1.4", "node": "node-1", "waypoint": "",
         "protocol": "HBONE", "identity": "spiffe://cluster.local/ns/default/sa/curl"},
        {"namespace": "default", "name": "plain-xyz", "address": "10.244.2.5", "node": "node-2", "waypoint": "",
         "protocol": "TCP", "identity": "spiffe://cluster.local/ns/default/sa/plain"}]}
      """;
  private static final String DUMP_1 = """
      {"node": "node-1", "resources": {
        "workloads": [
          {"name": "Kubernetes//Pod/default/details-1", "resource": {"name": "details-1",
           "services": {"default/details.default.svc.cluster.local": {"ports": []}}}},
          {"name": "Kubernetes//Pod/default/details-2", "resource": {"name": "details-2",
           "services": {"default/details.default.svc.cluster.local": {"ports": []}}}}],
        "services": [
          {"name": "default/details.default.svc.cluster.local", "resource": {"name": "details",
           "namespace": "default", "addresses": ["10.96.0.10"]}},
          {"name": "default/curl.default.svc.cluster.local", "resource": {"name": "curl",
           "namespace": "default", "addresses": ["10.96.0.14"], "waypoint": {"address": "10.244.3.9"}}}],
        "authorizations": [
          {"name": "default/productpage-allow-curl", "resource": {"name": "default/productpage-allow-curl",
           "namespace": "default", "scope": "WORKLOAD_SELECTOR"}}]}}
      """;
  private static final String DUMP_2 = """
      {"node": "node-2", "resources": {"workloads": [], "services": [],
        "authorizations": [
          {"name": "converted/default/default", "resource": {"name": "converted/default/default",
           "namespace": "default", "scope": "NAMESPACE", "action": "DENY"}},
          {"name": "default/productpage-allow-curl", "resource": {"name": "default/productpage-allow-curl",
           "namespace": "default", "scope": "WORKLOAD_SELECTOR"}}]}}
      """;
  private static final String CERTS = """
      {"certificates": [{"identity": "spiffe://cluster.local/ns/default/sa/curl", "state": "VALID",
        "serial": "845e", "notBefore": "2026-01-01T00:00:00Z", "notAfter": "2099-01-02T00:00:00Z"}],
       "trustBundle": [{"subject": "CN=meshctl root CA", "serial": "1e47", "notAfter": "2000-01-01T00:00:00Z"}]}
      """;
  private static final String CONNECTIONS = """
      {"connections": [{"source": "10.244.1.4:39128", "destination": "10.96.0.12:9080",
        "sourceIdentity": "spiffe://cluster.local/ns/default/sa/curl",
        "destinationIdentity": "spiffe://cluster.local/ns/default/sa/bookinfo-reviews",
        "direction": "outbound", "bytesSent": 540, "bytesReceived": 104}]}
      """;

  private final Map<String, String> bodies = Map.of(
      "node-1 /workloads", WORKLOADS, "node-1 /config_dump", DUMP_1, "node-2 /config_dump", DUMP_2,
      "node-1 /certs", CERTS, "node-1 /connections", CONNECTIONS, "node-1 :15020/metrics", "m_total 1.0\n",
      "node-2 :15020/metrics", "m_total 2.0\n");

  private String[] show(String view, List<String> nodes, boolean json) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AgentConfigCommand.show(view, nodes, (node, path) -> {
      String body = bodies.get(node + " " + path);
      if (body == null) {
        throw AgentConfigCommand.unreachable(node, "curl exited 7");
      }
      return body;
    }, new PrintWriter(out), new PrintWriter(err), json);
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void workloadsShowHboneForCapturedPodsAndTcpOtherwise() {
    String[] r = show("workloads", List.of("node-1", "node-2"), false);
    assertThat(r[0]).startsWith("NAMESPACE   POD NAME    ADDRESS      NODE     WAYPOINT   PROTOCOL\n")
        .containsPattern("(?m)^default\\s+curl-abc\\s+10\\.244\\.1\\.4\\s+node-1\\s+None\\s+HBONE$")
        .containsPattern("(?m)^default\\s+plain-xyz\\s.*\\bTCP$");
    assertThat(r[1]).contains("as the node agent on node-1 sees them");
  }

  @Test
  void servicesCountTheirEndpointsAndShowTheWaypoint() {
    String out = show("services", List.of("node-1"), false)[0];
    assertThat(out).contains("NAMESPACE   SERVICE NAME   SERVICE VIP   WAYPOINT     ENDPOINTS")
        .containsPattern("(?m)^default\\s+details\\s+10\\.96\\.0\\.10\\s+None\\s+2$")
        .containsPattern("(?m)^default\\s+curl\\s+10\\.96\\.0\\.14\\s+10\\.244\\.3\\.9\\s+0$");
  }

  @Test
  void policiesAreMergedFromEveryNodeWithEnumDefaultsFilledIn() {
    String[] r = show("policies", List.of("node-1", "node-2"), false);
    assertThat(r[0].lines()).containsExactly(
        "NAMESPACE   POLICY NAME                 ACTION   SCOPE",
        "default     converted/default/default   DENY     NAMESPACE",
        "default     productpage-allow-curl      ALLOW    WORKLOAD_SELECTOR");
    assertThat(r[1]).contains("merged from the node agents on node-1, node-2");
  }

  @Test
  void certificatesShowLeafAndRootWithValidity() {
    String out = show("certificates", List.of("node-1"), false)[0];
    assertThat(out).contains("CERTIFICATE NAME", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE")
        .containsPattern("(?m)^spiffe://cluster\\.local/ns/default/sa/curl\\s+Leaf\\s+Available\\s+true\\s+845e\\s")
        .containsPattern("(?m)^CN=meshctl root CA\\s+Root\\s+Available\\s+false\\s+1e47\\s");
  }

  @Test
  void connectionsListBothIdentitiesAndBytes() {
    String out = show("connections", List.of("node-1"), false)[0];
    assertThat(out).containsPattern("(?m)^SOURCE\\s+DESTINATION\\s+SOURCE IDENTITY\\s+DESTINATION IDENTITY\\s+"
            + "DIRECTION\\s+BYTES SENT\\s+BYTES RECEIVED$")
        .containsPattern("(?m)^10\\.244\\.1\\.4:39128\\s+10\\.96\\.0\\.12:9080\\s+\\S+/sa/curl\\s+\\S+/sa/"
            + "bookinfo-reviews\\s+outbound\\s+540\\s+104$");
  }

  @Test
  void jsonPrintsTheAdminJson() {
    String out = show("connections", List.of("node-1"), true)[0];
    assertThat(out).contains("\"sourceIdentity\" : \"spiffe://cluster.local/ns/default/sa/curl\"");
    String policies = show("policies", List.of("node-1", "node-2"), true)[0];
    assertThat(policies).contains("\"node-1\"", "\"node-2\"", "converted/default/default");
  }

  @Test
  void metricsFromEveryNodeAreMarkedByNode() {
    String out = show("metrics", List.of("node-1", "node-2"), false)[0];
    assertThat(out).isEqualTo("# node node-1\nm_total 1.0\n# node node-2\nm_total 2.0\n");
  }

  @Test
  void anAgentThatDoesNotAnswerIsNamedWithWhatToDo() {
    assertThatThrownBy(() -> show("certificates", List.of("node-1", "node-2"), false))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("node agent on node-2 not ready / unreachable")
        .hasMessageContaining("is `meshctl install` done?");
  }

  @Test
  void anAnswerThatIsNotJsonIsReportedAsUnreachable() {
    assertThatThrownBy(() -> AgentConfigCommand.show("workloads", List.of("node-1"), (n, p) -> "<html>",
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false))
        .isInstanceOf(CliException.class).hasMessageContaining("not JSON");
  }

  @Test
  void unknownViewsAndFormatsAreUsageErrors() {
    CliRun cli = new CliRun(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    CliRun.Result view = cli.run("zc", "routes");
    assertThat(view.exitCode()).isEqualTo(2);
    assertThat(view.err()).contains("unknown view 'routes'");
    CliRun.Result format = cli.run("agent-config", "workloads", "-o", "yaml");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("unknown output 'yaml'");
  }
}
