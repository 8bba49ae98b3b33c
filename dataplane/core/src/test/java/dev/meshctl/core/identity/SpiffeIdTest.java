package dev.meshctl.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SpiffeIdTest {

    @Test
    void parsesTheKubernetesForm() {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl");

        assertThat(id).isEqualTo(SpiffeId.of("cluster.local", "default", "curl"));
        assertThat(id.toString()).isEqualTo("spiffe://cluster.local/ns/default/sa/curl");
        assertThat(id.principal()).isEqualTo("cluster.local/ns/default/sa/curl");
    }

    @Test
    void roundTripsThroughToString() {
        SpiffeId id = SpiffeId.of("example.org", "bookinfo", "bookinfo-reviews_v2");

        assertThat(SpiffeId.parse(id.toString())).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "spiffe://cluster.local/ns/a%2Fb/sa/curl | percent-encoding",
        "spiffe://cluster.local/ns/default/sa/curl%00 | percent-encoding",
        "spiffe://cluster.local/ns//sa/curl | namespace is empty",
        "spiffe://cluster.local/ns/../sa/curl | dot segment",
        "spiffe://cluster.local/ns/./sa/curl | dot segment",
        "spiffe://cluster.local/ns/default/sa/.. | dot segment",
        "spiffe://Cluster.local/ns/default/sa/curl | character 'C'",
        "spiffe://cluster$local/ns/default/sa/curl | character '$'",
        "spiffe://cluster..local/ns/default/sa/curl | empty label",
        "spiffe:///ns/default/sa/curl | trust domain is empty",
        "spiffe://cluster.local/ns/default/sa/curl?x=1 | query or fragment",
        "spiffe://cluster.local/ns/default/sa/curl#frag | query or fragment",
        "spiffe://user@cluster.local/ns/default/sa/curl | userinfo",
        "spiffe://cluster.local:443/ns/default/sa/curl | port",
        "spiffe://cluster.local/ns/default/sa/curl/extra | not exactly",
        "spiffe://cluster.local/ns/default/sa/curl/ | not exactly",
        "spiffe://cluster.local/ns/default | not exactly",
        "spiffe://cluster.local/sa/curl/ns/default | not exactly",
        "spiffe://cluster.local | no path",
        "SPIFFE://cluster.local/ns/default/sa/curl | does not start with",
        "https://cluster.local/ns/default/sa/curl | does not start with",
        "spiffe://cluster.local/ns/def ault/sa/curl | character ' '",
    })
    void refusesAmbiguousOrMalformedIds(String uri, String reason) {
        assertThatThrownBy(() -> SpiffeId.parse(uri))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("is not a valid SPIFFE ID")
                .hasMessageContaining(reason);
    }

    @Test
    void refusesNulBytesAndDoesNotEchoThemRaw() {
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl\0admin"))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("NUL byte")
                .hasMessageContaining("\\x00")
                .hasMessageNotContaining("\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", ".."})
    void constructorChecksSegmentsToo(String bad) {
        assertThatThrownBy(() -> SpiffeId.of("cluster.local", bad, "curl")).isInstanceOf(IdentityException.class);
        assertThatThrownBy(() -> SpiffeId.of("cluster.local", "default", bad)).isInstanceOf(IdentityException.class);
    }

    @Test
    void refusesOverlongIds() {
        String uri = "spiffe://cluster.local/ns/default/sa/" + "a".repeat(3000);

        assertThatThrownBy(() -> SpiffeId.parse(uri)).hasMessageContaining("longer than");
    }
}
