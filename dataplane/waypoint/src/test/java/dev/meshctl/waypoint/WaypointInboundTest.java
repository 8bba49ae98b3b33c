package dev.meshctl.waypoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class WaypointInboundTest {

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
