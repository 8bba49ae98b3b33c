package dev.meshctl.waypoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class WaypointInboundTest {

    @Test
    void readsTheClientWorkloadFromTheNodeAgentsBaggage() {
        String baggage = "k8s.namespace.name=default,k8s.deployment.name=curl,service.name=curl,service.version=latest";
        assertThat(WaypointInbound.baggageValue(baggage, "k8s.deployment.name")).contains("curl");
        assertThat(WaypointInbound.baggageValue(baggage, "k8s.namespace.name")).contains("default");
        assertThat(WaypointInbound.baggageValue(" a = 1 ;prop=x, b=2", "a")).contains("1");
        assertThat(WaypointInbound.baggageValue(baggage, "k8s.pod.name")).isEmpty();
        assertThat(WaypointInbound.baggageValue("k8s.deployment.name=", "k8s.deployment.name")).isEmpty();
        assertThat(WaypointInbound.baggageValue("garbage", "k8s.deployment.name")).isEmpty();
    }

    @Test
    void readsTheOriginalClientFromForwardedAndIgnoresWhatIsNotIpAndPort() {
        assertThat(WaypointInbound.forwardedFor("for=\"10.244.2.7:43210\""))
                .contains(new InetSocketAddress("10.244.2.7", 43210));
        assertThat(WaypointInbound.forwardedFor("proto=http;for=\"[fd00::7]:80\""))
                .contains(new InetSocketAddress("fd00::7", 80));
        assertThat(WaypointInbound.forwardedFor("for=unknown")).isEmpty();
        assertThat(WaypointInbound.forwardedFor("for=\"host.example:80\"")).isEmpty();
    }
}
