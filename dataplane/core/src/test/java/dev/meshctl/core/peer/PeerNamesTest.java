package dev.meshctl.core.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerNamesTest {

    @Test
    void parsesBaggageMembersFirstOneWinningAndDropsPropertiesAndEmptyValues() {
        assertThat(PeerNames.parseBaggage("k8s.namespace.name=default, k8s.deployment.name=curl;p=1,"
                + "k8s.namespace.name=other,empty=,=novalue,garbage"))
                .containsExactly(Map.entry("k8s.namespace.name", "default"), Map.entry("k8s.deployment.name", "curl"));
        assertThat(PeerNames.parseBaggage("")).isEmpty();
    }

    @Test
    void takesAppAndVersionFromIstiosLabelsThenTheRecommendedOnes() {
        assertThat(PeerNames.app(Map.of("app", "reviews", "app.kubernetes.io/name", "x"))).isEqualTo("reviews");
        assertThat(PeerNames.app(Map.of("app.kubernetes.io/name", "reviews"))).isEqualTo("reviews");
        assertThat(PeerNames.version(Map.of("version", "", "app.kubernetes.io/version", "v2"))).isEqualTo("v2");
        assertThat(PeerNames.version(Map.of())).isNull();
    }
}
