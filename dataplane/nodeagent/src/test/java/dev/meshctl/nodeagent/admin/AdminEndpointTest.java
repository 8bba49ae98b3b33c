package dev.meshctl.nodeagent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.nodeagent.config.SourceStatus;
import dev.meshctl.nodeagent.config.StaticConfig;
import dev.meshctl.nodeagent.identity.CertificateStatus;
import dev.meshctl.nodeagent.identity.LocalCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin views over a real loopback HTTP server. */
class AdminEndpointTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String YAML = """
      workloads:
      - {uid: default/curl-1, name: curl-1, namespace: default, node: node-1, addresses: [10.244.1.5],
         serviceAccount: curl, tunnelProtocol: HBONE}
      - {uid: default/db-1, name: db-1, namespace: default, node: node-1, addresses: [10.244.1.6]}
      - {uid: shop/server-1, name: server-1, namespace: shop, node: node-2, addresses: [10.244.2.7],
         serviceAccount: server, tunnelProtocol: HBONE}
      """;

  record Conn(String source, String destination, Instant since) { }

  LocalCa ca = LocalCa.selfSigned("cluster.local", Duration.ofHours(1), Clock.systemUTC());
  HttpEndpoint endpoint;
  HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    var cert = ca.issue(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl")).certificate();
    ConfigState config = StaticConfig.parse(YAML, "mesh.yaml");
    AdminViews views = new AdminViews(new AdminViews.Facts() {
      @Override
      public String nodeName() {
        return "node-1";
      }

      @Override
      public String trustDomain() {
        return "cluster.local";
      }

      @Override
      public ConfigState config() {
        return config;
      }

      @Override
      public SourceStatus source() {
        return new SourceStatus("static", "mesh.yaml", true, Instant.parse("2030-01-01T00:00:00Z"), "");
      }

      @Override
      public List<CertificateStatus> certificates() {
        return List.of(
            new CertificateStatus(cert.id().toString(), CertificateStatus.State.VALID,
                cert.leaf().getSerialNumber().toString(16), cert.notBefore(), cert.notAfter(), cert.renewAt(), ""),
            new CertificateStatus("spiffe://cluster.local/ns/x/sa/y", CertificateStatus.State.PENDING, "", null, null,
                null, "UNAVAILABLE"));
      }

      @Override
      public List<X509Certificate> trustRoots() {
        return List.of(ca.root());
      }

      @Override
      public Object connections() {
        return List.of(new Conn("10.244.1.5:40000", "10.244.2.7:8080", Instant.parse("2030-01-01T00:00:01Z")));
      }
    });
    endpoint = HttpEndpoint.start("admin", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), views.routes());
  }

  @AfterEach
  void tearDown() {
    endpoint.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
  }

  @Test
  void configDumpShowsSyncStateAndResourcesAsProtoJson() throws Exception {
    HttpResponse<String> response = get("/config_dump");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode root = JSON.readTree(response.body());
    assertThat(root.at("/source/mode").asText()).isEqualTo("static");
    assertThat(root.at("/source/synced").asBoolean()).isTrue();
    assertThat(root.at("/source/lastUpdate").asText()).isEqualTo("2030-01-01T00:00:00Z");
    JsonNode workloads = root.at("/resources/workloads");
    assertThat(workloads).hasSize(3);
    assertThat(workloads.get(0).at("/name").asText()).isEqualTo("default/curl-1");
    assertThat(workloads.get(0).at("/resource/serviceAccount").asText()).isEqualTo("curl");
    assertThat(root.at("/resources/services").isArray()).isTrue();
  }

  @Test
  void certsShowStateAndSerialButNeverKeys() throws Exception {
    HttpResponse<String> response = get("/certs");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode root = JSON.readTree(response.body());
    assertThat(root.at("/certificates/0/identity").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/curl");
    assertThat(root.at("/certificates/0/state").asText()).isEqualTo("VALID");
    assertThat(root.at("/certificates/0/serial").asText()).isNotEmpty();
    assertThat(root.at("/certificates/1/state").asText()).isEqualTo("PENDING");
    assertThat(root.at("/certificates/1/lastError").asText()).isEqualTo("UNAVAILABLE");
    assertThat(root.at("/trustBundle/0/subject").asText()).contains("meshctl local root");
    assertThat(response.body()).doesNotContainIgnoringCase("private").doesNotContainIgnoringCase("key")
        .doesNotContain("BEGIN");
  }

  @Test
  void workloadsListLocalAndAllWithProtocol() throws Exception {
    JsonNode root = JSON.readTree(get("/workloads").body());
    assertThat(root.at("/local")).hasSize(2);
    assertThat(root.at("/all")).hasSize(3);
    assertThat(root.at("/local/0/name").asText()).isEqualTo("curl-1");
    assertThat(root.at("/local/0/protocol").asText()).isEqualTo("HBONE");
    assertThat(root.at("/local/0/identity").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/curl");
    assertThat(root.at("/local/1/protocol").asText()).isEqualTo("TCP");
    assertThat(root.at("/all/2/node").asText()).isEqualTo("node-2");
  }

  @Test
  void connectionsAreSerializedWithReadableTimes() throws Exception {
    JsonNode root = JSON.readTree(get("/connections").body());
    assertThat(root.at("/connections/0/destination").asText()).isEqualTo("10.244.2.7:8080");
    assertThat(root.at("/connections/0/since").asText()).isEqualTo("2030-01-01T00:00:01Z");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/config_dump/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/certs"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void readinessAnswers503WithTheReasonUntilReady() throws Exception {
    Readiness[] current = {Readiness.of(false, "mesh.yaml", List.of())};
    try (HttpEndpoint ready = HttpEndpoint.start("readiness",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Map.of("/healthz/ready", () -> current[0].response()))) {
      URI uri = URI.create("http://127.0.0.1:" + ready.address().getPort() + "/healthz/ready");
      HttpResponse<String> notYet = send(HttpRequest.newBuilder(uri).build());
      assertThat(notYet.statusCode()).isEqualTo(503);
      assertThat(notYet.body()).contains("no config applied yet from mesh.yaml");

      current[0] = Readiness.of(true, "mesh.yaml", List.of("spiffe://cluster.local/ns/a/sa/b"));
      HttpResponse<String> certs = send(HttpRequest.newBuilder(uri).build());
      assertThat(certs.statusCode()).isEqualTo(503);
      assertThat(certs.body()).contains("waiting for 1 certificate(s): spiffe://cluster.local/ns/a/sa/b");

      current[0] = Readiness.of(true, "mesh.yaml", List.of());
      assertThat(send(HttpRequest.newBuilder(uri).build()).statusCode()).isEqualTo(200);
    }
  }
}
