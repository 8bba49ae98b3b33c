package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BookstoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    @Test
    void productPageEmbedsDetailsAndReviewsWithRatings() throws Exception {
        SampleApp ratings = app(Map.of("ROLE", "ratings", "POD_LABELS", "app=ratings,version=v1"));
        SampleApp details = app(Map.of("ROLE", "details", "POD_LABELS", "app=details,version=v1"));
        SampleApp reviews = app(Map.of("ROLE", "reviews", "POD_LABELS", "app=reviews,version=v2",
                "RATINGS_URL", url(ratings)));
        SampleApp page = app(Map.of("ROLE", "productpage", "POD_LABELS", "app=productpage,version=v1",
                "DETAILS_URL", url(details), "REVIEWS_URL", url(reviews)));

        HttpResponse<String> response = get(page, "/productpage", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("service").asText()).isEqualTo("productpage");
        assertThat(body.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(body.at("/details/service").asText()).isEqualTo("details");
        assertThat(body.at("/details/book/author").asText()).isEqualTo("William Shakespeare");
        assertThat(body.at("/reviews/service").asText()).isEqualTo("reviews");
        assertThat(body.at("/reviews/version").asText()).isEqualTo("v2");
        assertThat(body.at("/reviews/path").asText()).isEqualTo("/reviews/0");
        assertThat(body.at("/reviews/reviews")).hasSize(2);
        assertThat(body.at("/reviews/stars").asText()).isEqualTo("black");
        assertThat(body.at("/reviews/ratings/service").asText()).isEqualTo("ratings");
        assertThat(body.at("/reviews/ratings/ratings/Reviewer1").asInt()).isEqualTo(5);
        assertThat(body.at("/reviews/ratings/ratings/Reviewer2").asInt()).isEqualTo(4);
        assertThat(get(page, "/", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void reviewsV1ShowsNoRatingsAndV3ShowsRedStars() throws Exception {
        SampleApp ratings = app(Map.of("ROLE", "ratings"));
        SampleApp v1 = app(Map.of("ROLE", "reviews", "POD_LABELS", "app=reviews,version=v1",
                "RATINGS_URL", url(ratings)));
        SampleApp v3 = app(Map.of("ROLE", "reviews", "POD_LABELS", "app=reviews,version=v3",
                "RATINGS_URL", url(ratings)));

        JsonNode first = JSON.readTree(get(v1, "/reviews/0", Map.of()).body());
        JsonNode third = JSON.readTree(get(v3, "/reviews/0", Map.of()).body());

        assertThat(first.has("ratings")).isFalse();
        assertThat(first.has("stars")).isFalse();
        assertThat(third.get("stars").asText()).isEqualTo("red");
        assertThat(third.at("/ratings/ratings/Reviewer1").asInt()).isEqualTo(5);
    }

    @Test
    void reviewsStillAnswerWhenRatingsIsDown() throws Exception {
        SampleApp v2 = app(Map.of("ROLE", "reviews", "VERSION", "v2", "RATINGS_URL", "http://127.0.0.1:" + freePort()));

        HttpResponse<String> response = get(v2, "/reviews/0", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/ratings/status").asInt()).isEqualTo(503);
        assertThat(body.at("/ratings/error").asText()).contains("ratings at http://127.0.0.1:", "could not connect");
    }

    @Test
    void productPageAnswers200WhenOnlyOneUpstreamIsDown() throws Exception {
        SampleApp details = app(Map.of("ROLE", "details"));
        SampleApp page = app(Map.of("ROLE", "productpage",
                "DETAILS_URL", url(details), "REVIEWS_URL", "http://127.0.0.1:" + freePort()));

        HttpResponse<String> response = get(page, "/productpage", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/details/book/year").asInt()).isEqualTo(1595);
        assertThat(body.at("/reviews/status").asInt()).isEqualTo(503);
        assertThat(body.at("/reviews/error").asText()).contains("reviews at ", "could not connect");
    }

    @Test
    void productPageAnswers503WhenBothUpstreamsFail() throws Exception {
        HttpServer denying = fakeUpstream(new ConcurrentHashMap<>(), 403, "text/plain", "RBAC: access denied");
        SampleApp page = app(Map.of("ROLE", "productpage",
                "DETAILS_URL", "http://127.0.0.1:" + denying.getAddress().getPort(),
                "REVIEWS_URL", "http://127.0.0.1:" + freePort()));

        HttpResponse<String> response = get(page, "/productpage", Map.of());

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("service").asText()).isEqualTo("productpage");
        assertThat(body.at("/details/status").asInt()).isEqualTo(403);
        assertThat(body.at("/details/error").asText()).isEqualTo("details answered 403: RBAC: access denied");
        assertThat(body.at("/reviews/status").asInt()).isEqualTo(503);
    }

    @Test
    void forwardsTracingHeadersToUpstreams() throws Exception {
        Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
        HttpServer fake = fakeUpstream(seen, 200, "application/json", "{\"fake\":true}");
        SampleApp page = app(Map.of("ROLE", "productpage",
                "DETAILS_URL", "http://127.0.0.1:" + fake.getAddress().getPort(),
                "REVIEWS_URL", "http://127.0.0.1:" + fake.getAddress().getPort() + "/"));

        HttpResponse<String> response = get(page, "/productpage", Map.of(
                "x-request-id", "req-1", "end-user", "jason", "traceparent", "00-abc-def-01",
                "x-b3-traceid", "t1", "baggage", "k=v", "x-not-forwarded", "no"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seen.keySet()).containsExactlyInAnyOrder("/details/0", "/reviews/0");
        for (Map<String, String> headers : seen.values()) {
            assertThat(headers).containsEntry("x-request-id", "req-1").containsEntry("end-user", "jason")
                    .containsEntry("traceparent", "00-abc-def-01").containsEntry("x-b3-traceid", "t1")
                    .containsEntry("baggage", "k=v").doesNotContainKey("x-not-forwarded");
        }
    }

    @Test
    void otherPathsOfTheProductPageEcho() throws Exception {
        SampleApp page = app(Map.of("ROLE", "productpage", "DETAILS_URL", "http://127.0.0.1:1"));

        JsonNode body = JSON.readTree(get(page, "/about", Map.of()).body());

        assertThat(body.has("details")).isFalse();
        assertThat(body.get("service").asText()).isEqualTo("productpage");
    }

    private SampleApp app(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("BIND_ADDRESS", "127.0.0.1");
        all.put("PORT", "0");
        SampleApp app = SampleApp.start(SampleAppConfig.fromEnvironment(all), line -> { });
        running.add(app);
        return app;
    }

    private HttpServer fakeUpstream(Map<String, Map<String, String>> seen, int status, String contentType,
                                    String text) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            seen.put(exchange.getRequestURI().getPath(), headers);
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", contentType);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        running.add(() -> server.stop(0));
        return server;
    }

    private static HttpResponse<String> get(SampleApp app, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(app) + path)).timeout(Duration.ofSeconds(15));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String url(SampleApp app) {
        return "http://127.0.0.1:" + app.port();
    }

    /** Returns a port nothing listens on (bound and released), so connecting there is refused at once. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
