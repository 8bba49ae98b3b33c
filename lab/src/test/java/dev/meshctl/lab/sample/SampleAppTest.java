package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SampleAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACCESS_LOG = new CopyOnWriteArrayList<>();
    private static SampleApp app;
    private static HttpClient http1;
    private static HttpClient http2;

    @BeforeAll
    static void start() {
        SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of(
                "BIND_ADDRESS", "127.0.0.1", "PORT", "0",
                "POD_LABELS", "app=httpbin,version=v1", "POD_NAME", "httpbin-1", "POD_NAMESPACE", "lab",
                "NODE_NAME", "node-1", "POD_IP", "10.0.0.9", "SERVICE_ACCOUNT", "httpbin"));
        app = SampleApp.start(config, ACCESS_LOG::add);
        http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void answersHttp11WithWhoItIsAndWhoAsked() throws Exception {
        HttpResponse<String> response = send(http1, "GET", "/some/path?x=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("service").asText()).isEqualTo("httpbin");
        assertThat(body.get("version").asText()).isEqualTo("v1");
        assertThat(body.get("pod").asText()).isEqualTo("httpbin-1");
        assertThat(body.get("namespace").asText()).isEqualTo("lab");
        assertThat(body.get("node").asText()).isEqualTo("node-1");
        assertThat(body.get("podIP").asText()).isEqualTo("10.0.0.9");
        assertThat(body.get("serviceAccount").asText()).isEqualTo("httpbin");
        assertThat(body.get("client").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(body.get("method").asText()).isEqualTo("GET");
        assertThat(body.get("path").asText()).isEqualTo("/some/path");
        assertThat(body.get("protocol").asText()).isEqualTo("HTTP/1.1");
    }

    @Test
    void answersAnyMethod() throws Exception {
        HttpResponse<String> response = send(http1, "DELETE", "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("method").asText()).isEqualTo("DELETE");
    }

    @Test
    void upgradesToHttp2OverCleartext() throws Exception {
        // The JDK client asks for h2c with an Upgrade header on http:// URLs; later requests reuse the h2 connection.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = send(http2, "GET", "/headers");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("protocol").asText()).isEqualTo("HTTP/2");
            assertThat(body.get("client").asText()).matches("127\\.0\\.0\\.1:\\d+");
        }
    }

    @Test
    void speaksHttp2WithPriorKnowledge() throws Exception {
        try (PriorKnowledgeClient client = new PriorKnowledgeClient(app.port())) {
            PriorKnowledgeClient.Response first = client.get("/status/418");
            PriorKnowledgeClient.Response second = client.get("/healthz");

            assertThat(first.status()).isEqualTo(418);
            assertThat(JSON.readTree(first.body()).get("protocol").asText()).isEqualTo("HTTP/2");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("ok");
        }
    }

    @Test
    void answersWithTheAskedStatus() throws Exception {
        HttpResponse<String> response = send(http1, "GET", "/status/418");

        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(JSON.readTree(response.body()).get("service").asText()).isEqualTo("httpbin");
    }

    @Test
    void sendsNoBodyWith204() throws Exception {
        HttpResponse<String> response = send(http1, "GET", "/status/204");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void refusesStatusCodesOutOfRange() throws Exception {
        for (String path : List.of("/status/99", "/status/600", "/status/teapot")) {
            HttpResponse<String> response = send(http1, "GET", path);

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText()).contains("200 to 599");
        }
    }

    @Test
    void delaysTheAnswer() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = send(http1, "GET", "/delay/50");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("delayMs").asInt()).isEqualTo(50);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(50);
    }

    @Test
    void echoesRequestHeaders() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/headers"))
                .header("x-request-id", "abc-123").header("end-user", "jason").build();

        JsonNode headers = JSON.readTree(http1.send(request, HttpResponse.BodyHandlers.ofString()).body()).get("headers");

        assertThat(headers.get("x-request-id").asText()).isEqualTo("abc-123");
        assertThat(headers.get("end-user").asText()).isEqualTo("jason");
        assertThat(headers.has("Host") || headers.has("host")).isTrue();
    }

    @Test
    void answersHealthChecks() throws Exception {
        HttpResponse<String> response = send(http1, "GET", "/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void keepsConnectionsAliveAndClosesWhenAsked() throws Exception {
        try (RawHttp raw = new RawHttp(app.port())) {
            raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = raw.read();
            raw.send("GET /status/201 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttp.Response second = raw.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers()).doesNotContainKey("connection");
            assertThat(second.status()).isEqualTo(201);
            assertThat(second.headers()).containsEntry("connection", "close");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void closesHttp10ConnectionsUnlessKeptAlive() throws Exception {
        try (RawHttp raw = new RawHttp(app.port())) {
            raw.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(raw.read().headers()).containsEntry("connection", "keep-alive");
            raw.send("GET /healthz HTTP/1.0\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(app.port())) {
            raw.send("GET /delay/100 HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");

            RawHttp.Response first = raw.read();
            RawHttp.Response second = raw.read();

            assertThat(JSON.readTree(first.body()).get("delayMs").asInt()).isEqualTo(100);
            assertThat(second.body()).isEqualTo("ok");
        }
    }

    @Test
    void answersHeadWithoutBody() throws Exception {
        try (RawHttp raw = new RawHttp(app.port())) {
            raw.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(Integer.parseInt(head.headers().get("content-length"))).isPositive();
            // The next response must follow directly: a body after HEAD would be parsed as a status line here.
            raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.read().body()).isEqualTo("ok");
        }
    }

    @Test
    void refusesMalformedRequests() throws Exception {
        try (RawHttp raw = new RawHttp(app.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");

            assertThat(raw.read().status()).isEqualTo(400);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void logsOneLinePerRequest() throws Exception {
        send(http1, "POST", "/status/503");

        Deadline.await(() -> ACCESS_LOG.stream().anyMatch(line -> line.startsWith("POST /status/503 503 ")));
        assertThat(ACCESS_LOG).anySatisfy(line ->
                assertThat(line).matches("POST /status/503 503 \\d+ms 127\\.0\\.0\\.1:\\d+ HTTP/1\\.1"));
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }
}
