package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class UpstreamResultTest {

    private static final URI DETAILS = URI.create("http://details:9080/details/0");

    @Test
    void keepsAJsonBodyFromA2xxAnswer() {
        UpstreamResult result = UpstreamResult.fromResponse("details", 200, "{\"author\":\"x\"}");

        assertThat(result.ok()).isTrue();
        assertThat(result.toJson()).isEqualTo(new Json.Raw("{\"author\":\"x\"}"));
    }

    @Test
    void quotesTheBodyOfAnErrorAnswer() {
        UpstreamResult result = UpstreamResult.fromResponse("details", 403, "RBAC: access denied");

        assertThat(result.ok()).isFalse();
        assertThat(result.toJson()).isEqualTo(Map.of("status", 403, "error", "details answered 403: RBAC: access denied"));
    }

    @Test
    void cutsLongBodies() {
        UpstreamResult result = UpstreamResult.fromResponse("details", 500, "x".repeat(1000));

        assertThat(result.error()).hasSizeLessThan(300).endsWith("...");
    }

    @Test
    void treatsANonJsonSuccessAsAFailure() {
        UpstreamResult result = UpstreamResult.fromResponse("reviews", 200, "<html>");

        assertThat(result.ok()).isFalse();
        assertThat(result.status()).isEqualTo(502);
        assertThat(result.error()).contains("not with JSON");
    }

    @Test
    void explainsARefusedConnection() {
        UpstreamResult result = UpstreamResult.fromFailure("details", DETAILS,
                new CompletionException(new ConnectException("Connection refused")));

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.error())
                .startsWith("details at http://details:9080/details/0: could not connect (Connection refused)")
                .contains("policy");
    }

    @Test
    void explainsATimeout() {
        UpstreamResult result = UpstreamResult.fromFailure("details", DETAILS,
                new HttpConnectTimeoutException("HTTP connect timed out"));

        assertThat(result.status()).isEqualTo(504);
        assertThat(result.error()).contains("did not answer in time");
    }

    @Test
    void resolvesPathsAgainstBasesWithOrWithoutSlash() {
        assertThat(UpstreamClient.resolve(URI.create("http://details:9080"), "/details/0"))
                .isEqualTo(URI.create("http://details:9080/details/0"));
        assertThat(UpstreamClient.resolve(URI.create("http://details:9080/"), "/details/0"))
                .isEqualTo(URI.create("http://details:9080/details/0"));
    }
}
