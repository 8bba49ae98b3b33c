package dev.meshctl.waypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaypointSettingsTest {

    private static final Map<String, String> ENV = Map.of(
            "WAYPOINT_NAMESPACE", "default", "WAYPOINT_NAME", "waypoint", "CONTROL_PLANE", "172.18.0.2:15012",
            "TOKEN_FILE", "/state/token", "ROOT_CERT", "/state/root-cert.pem");

    @Test
    void readsEverythingFromTheEnvironment() {
        WaypointSettings s = WaypointSettings.parse(List.of(), ENV);
        assertThat(s.namespace()).isEqualTo("default");
        assertThat(s.controlPlane()).isEqualTo("172.18.0.2:15012");
        assertThat(s.tokenFile()).isEqualTo(Path.of("/state/token"));
        assertThat(s.identity()).isEqualTo("spiffe://cluster.local/ns/default/sa/waypoint");
        assertThat(s.nodeId()).isEqualTo("waypoint~default/waypoint");
    }

    @Test
    void optionsWinOverTheEnvironment() {
        WaypointSettings s = WaypointSettings.parse(List.of("--name", "wp-reviews", "--trust-domain=example.org",
                "--service-account", "reviews-wp"), ENV);
        assertThat(s.name()).isEqualTo("wp-reviews");
        assertThat(s.identity()).isEqualTo("spiffe://example.org/ns/default/sa/reviews-wp");
        assertThat(s.nodeId()).isEqualTo("waypoint~default/wp-reviews");
    }

    @Test
    void namesWhatIsMissing() {
        assertThatThrownBy(() -> WaypointSettings.parse(List.of("--namespace", "default"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing --name (env WAYPOINT_NAME)");
    }

    @Test
    void refusesUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> WaypointSettings.parse(List.of("--nmae", "x"), ENV))
                .hasMessageContaining("unknown option --nmae");
        assertThatThrownBy(() -> WaypointSettings.parse(List.of("--name"), ENV))
                .hasMessageContaining("option --name needs a value");
    }
}
