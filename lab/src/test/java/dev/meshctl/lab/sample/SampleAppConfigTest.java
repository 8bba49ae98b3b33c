package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleAppConfigTest {

    @Test
    void defaultsPlayAnEchoOnPort8080() {
        SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of());

        assertThat(config.role()).isEqualTo(SampleRole.ECHO);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(config.service()).isEqualTo("echo");
        assertThat(config.version()).isEqualTo("v1");
        assertThat(config.podName()).isEqualTo("unknown");
        assertThat(config.podNamespace()).isEqualTo("default");
        assertThat(config.serviceAccount()).isEqualTo("default");
        assertThat(config.podLabels()).isEmpty();
        assertThat(config.detailsUrl()).isEqualTo(URI.create("http://details:9080"));
        assertThat(config.reviewsUrl()).isEqualTo(URI.create("http://reviews:9080"));
        assertThat(config.ratingsUrl()).isEqualTo(URI.create("http://ratings:9080"));
    }

    @Test
    void serviceAndVersionComeFromPodLabels() {
        SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of(
                "ROLE", "Reviews", "POD_LABELS", " app=reviews, version=v2 ,,tier=backend,"));

        assertThat(config.role()).isEqualTo(SampleRole.REVIEWS);
        assertThat(config.service()).isEqualTo("reviews");
        assertThat(config.version()).isEqualTo("v2");
        assertThat(config.podLabels()).containsExactly(
                Map.entry("app", "reviews"), Map.entry("version", "v2"), Map.entry("tier", "backend"));
    }

    @Test
    void explicitServiceAndVersionBeatLabels() {
        SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of(
                "ROLE", "details", "SERVICE", "book-details", "VERSION", "v9", "POD_LABELS", "app=details,version=v1"));

        assertThat(config.service()).isEqualTo("book-details");
        assertThat(config.version()).isEqualTo("v9");
    }

    @Test
    void serviceFallsBackToTheRoleWithoutLabels() {
        assertThat(SampleAppConfig.fromEnvironment(Map.of("ROLE", "ratings")).service()).isEqualTo("ratings");
    }

    @Test
    void readsDownwardApiValuesAndUpstreams() {
        SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of(
                "PORT", "9080", "POD_NAME", "reviews-v2-abc", "POD_NAMESPACE", "bookinfo", "NODE_NAME", "node-2",
                "POD_IP", "10.1.2.3", "SERVICE_ACCOUNT", "bookinfo-reviews",
                "RATINGS_URL", "http://127.0.0.1:1234/"));

        assertThat(config.port()).isEqualTo(9080);
        assertThat(config.podName()).isEqualTo("reviews-v2-abc");
        assertThat(config.podNamespace()).isEqualTo("bookinfo");
        assertThat(config.nodeName()).isEqualTo("node-2");
        assertThat(config.podIp()).isEqualTo("10.1.2.3");
        assertThat(config.serviceAccount()).isEqualTo("bookinfo-reviews");
        assertThat(config.ratingsUrl()).isEqualTo(URI.create("http://127.0.0.1:1234/"));
    }

    @Test
    void podNameFallsBackToHostname() {
        assertThat(SampleAppConfig.fromEnvironment(Map.of("HOSTNAME", "box-1")).podName()).isEqualTo("box-1");
    }

    @Test
    void blankValuesCountAsUnset() {
        SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of("PORT", " ", "ROLE", ""));

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.role()).isEqualTo(SampleRole.ECHO);
    }

    @Test
    void refusesALabelWithoutEquals() {
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("POD_LABELS", "app=reviews,v2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POD_LABELS entry 'v2'")
                .hasMessageContaining("app=reviews,version=v2");
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("POD_LABELS", "=x")))
                .hasMessageContaining("'=x'");
    }

    @Test
    void refusesAnUnknownRole() {
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("ROLE", "cart")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ROLE must be one of echo, productpage, details, reviews, ratings; got 'cart'");
    }

    @Test
    void refusesBadPorts() {
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("PORT", "http")))
                .hasMessageContaining("PORT must be a number");
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("PORT", "70000")))
                .hasMessageContaining("PORT must be between 0 and 65535");
    }

    @Test
    void refusesUpstreamsThatAreNotHttpUrls() {
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("DETAILS_URL", "details:9080")))
                .hasMessageContaining("DETAILS_URL must be an http:// URL");
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("REVIEWS_URL", "http://bad host")))
                .hasMessageContaining("REVIEWS_URL is not a valid URL");
        assertThatThrownBy(() -> SampleAppConfig.fromEnvironment(Map.of("RATINGS_URL", "https://ratings")))
                .hasMessageContaining("RATINGS_URL must be an http:// URL");
    }

    @Test
    void withListenerKeepsEverythingElse() {
        SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of("ROLE", "details"))
                .withListener("127.0.0.1", 0);

        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.role()).isEqualTo(SampleRole.DETAILS);
    }
}
