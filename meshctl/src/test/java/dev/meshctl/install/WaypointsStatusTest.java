package dev.meshctl.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaypointsStatusTest {

    private static final String JSON = """
            {"bindings": [
              {"subject": "SERVICE", "namespace": "default", "name": "reviews", "waypointNamespace": "default",
               "waypointName": "waypoint", "source": "NAMESPACE_LABEL", "accepted": true, "ready": false,
               "reason": "waypoint default/waypoint has no ready instance yet; traffic goes direct until it has one"},
              {"subject": "SERVICE", "namespace": "apps", "name": "api", "waypointNamespace": "apps",
               "waypointName": "edge", "source": "OBJECT_LABEL", "accepted": true, "ready": true,
               "reason": "bound to waypoint apps/edge"}
            ]}
            """;

    @Test
    void keepsTheBindingsOfTheAskedWaypoints() {
        List<WaypointsStatus.Binding> all = WaypointsStatus.parse(JSON, null, null);
        assertThat(all).hasSize(2);
        List<WaypointsStatus.Binding> def = WaypointsStatus.parse(JSON, "default", null);
        assertThat(def).singleElement().satisfies(b -> {
            assertThat(b.waypoint()).isEqualTo("default/waypoint");
            assertThat(b.ready()).isFalse();
            assertThat(b.reason()).contains("traffic goes direct until it has one");
        });
        assertThat(WaypointsStatus.parse(JSON, "apps", "other")).isEmpty();
    }

    @Test
    void refusesWhatIsNotTheEndpointsAnswer() {
        assertThatThrownBy(() -> WaypointsStatus.parse("not json {", null, null))
                .hasMessageContaining("unreadable /debug/waypoints answer");
        assertThatThrownBy(() -> WaypointsStatus.parse("{}", null, null)).hasMessageContaining("no bindings list");
    }
}
