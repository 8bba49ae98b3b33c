package dev.meshctl.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.objects.ObjectParser;
import dev.meshctl.objects.ParsedObject;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WaypointsSpecTest {

    @Test
    void namesDefaultLikeIstioctl() {
        assertThat(WaypointsSpec.of("default", Optional.empty(), "service", Optional.empty()).name())
                .isEqualTo("waypoint");
        WaypointsSpec sa = WaypointsSpec.of("default", Optional.empty(), "all", Optional.of("reviews"));
        assertThat(sa.name()).isEqualTo("waypoint-reviews");
        assertThat(sa.tokenName()).isEqualTo("waypoint/default/waypoint-reviews");
        assertThat(WaypointsSpec.of("default", Optional.of("wp"), "ALL", Optional.empty()).waypointFor())
                .isEqualTo("all");
    }

    @Test
    void refusesBadNamesAndTrafficTypes() {
        assertThatThrownBy(() -> WaypointsSpec.of("default", Optional.empty(), "services", Optional.empty()))
                .hasMessageContaining("--for services is not one of service, workload, all, none");
        assertThatThrownBy(() -> WaypointsSpec.of("default", Optional.of("Way_point"), "service", Optional.empty()))
                .hasMessageContaining("waypoint name \"Way_point\" is not a DNS label");
        assertThatThrownBy(() -> WaypointsSpec.of("bad/ns", Optional.empty(), "service", Optional.empty()))
                .hasMessageContaining("namespace");
    }

    @Test
    void generatesAValidWaypointGateway() {
        String yaml = WaypointsManifests.gateway(
                WaypointsSpec.of("apps", Optional.empty(), "service", Optional.of("reviews")));
        assertThat(yaml).contains("gatewayClassName: istio-waypoint", "name: mesh", "port: 15008", "protocol: HBONE",
                "istio.io/waypoint-for: service", "meshctl.dev/service-account: reviews", "name: waypoint-reviews");
        List<ParsedObject> parsed = new ObjectParser().parse("generate", yaml);
        assertThat(parsed).singleElement().extracting(ParsedObject::object).isInstanceOf(Gateway.class);
    }

    @Test
    void labObjectsRunTheWaypointImageConfiguredByEnv() {
        WaypointsSpec spec = WaypointsSpec.of("default", Optional.empty(), "service", Optional.empty());
        List<ParsedObject> parsed = new ObjectParser().parse("apply", WaypointsManifests.lab(spec,
                "172.18.0.2:15012", Path.of("/s/mesh/waypoints/default/waypoint/token"), Path.of("/s/root.pem"),
                "cluster.local"));
        assertThat(parsed).extracting(p -> p.object().getKind())
                .containsExactly("Gateway", "ServiceAccount", "Deployment");
        Deployment d = (Deployment) parsed.get(2).object();
        var pod = d.getSpec().getTemplate();
        assertThat(pod.getMetadata().getLabels()).containsEntry(WaypointsManifests.GATEWAY_NAME, "waypoint");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("waypoint");
        assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("meshctl/waypoint:0.1.0");
        assertThat(pod.getSpec().getContainers().get(0).getEnv())
                .extracting(e -> e.getName() + "=" + e.getValue())
                .contains("WAYPOINT_NAMESPACE=default", "WAYPOINT_NAME=waypoint", "CONTROL_PLANE=172.18.0.2:15012",
                        "TOKEN_FILE=/s/mesh/waypoints/default/waypoint/token", "ROOT_CERT=/s/root.pem",
                        "TRUST_DOMAIN=cluster.local");
    }
}
