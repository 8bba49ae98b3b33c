package dev.meshctl.nodeagent.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.nodeagent.state.MeshState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The destination side's rule for naming the service a connection was for. */
class InboundServiceTest {

    private static Service service(String name, String vip, int port, int targetPort) {
        return Service.newBuilder().setName(name).setNamespace("default")
                .setHostname(name + ".default.svc.cluster.local").addAddresses(vip)
                .addPorts(Port.newBuilder().setServicePort(port).setTargetPort(targetPort)).build();
    }

    private static Workload pod(Map<String, PortList> services) {
        return Workload.newBuilder().setUid("echo").setName("echo-pod").setNamespace("default").setNode("node-2")
                .addAddresses("10.244.2.7").putAllServices(services).build();
    }

    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    private static Optional<String> resolve(MeshState state, String host, int port) throws UnknownHostException {
        return InboundService.resolve(state, ip(host), port, state.workloadByIp("10.244.2.7"))
                .map(Service::getName);
    }

    @Test
    void aVipTargetNamesItsService() throws Exception {
        Service echo = service("echo", "10.96.0.10", 80, 8080);
        MeshState state = MeshState.of(List.of(pod(Map.of())), List.of(echo), List.of());
        assertThat(resolve(state, "10.96.0.10", 80)).contains("echo");
    }

    @Test
    void theOnlyServiceSendingToThePortIsChosen() throws Exception {
        Service echo = service("echo", "10.96.0.10", 80, 8080);
        Service admin = service("admin", "10.96.0.12", 9000, 9000);
        MeshState state = MeshState.of(List.of(pod(Map.of("default/echo.default.svc.cluster.local",
                PortList.getDefaultInstance(), "default/admin.default.svc.cluster.local",
                PortList.getDefaultInstance()))), List.of(echo, admin), List.of());
        assertThat(resolve(state, "10.244.2.7", 8080)).contains("echo");
        assertThat(resolve(state, "10.244.2.7", 9000)).contains("admin");
        assertThat(resolve(state, "10.244.2.7", 80)).isEmpty();
    }

    @Test
    void theWorkloadsOwnPortMappingWins() throws Exception {
        Service echo = service("echo", "10.96.0.10", 80, 0);
        MeshState state = MeshState.of(List.of(pod(Map.of("default/echo.default.svc.cluster.local",
                PortList.newBuilder().addPorts(Port.newBuilder().setServicePort(80).setTargetPort(8081)).build()))),
                List.of(echo), List.of());
        assertThat(resolve(state, "10.244.2.7", 8081)).contains("echo");
        assertThat(resolve(state, "10.244.2.7", 80)).isEmpty();
    }

    @Test
    void severalServicesOnThePortAreNotGuessed() throws Exception {
        Service reviews = service("reviews", "10.96.0.10", 9080, 9080);
        Service v1 = service("reviews-v1", "10.96.0.11", 9080, 9080);
        MeshState state = MeshState.of(List.of(pod(Map.of("default/reviews.default.svc.cluster.local",
                PortList.getDefaultInstance(), "default/reviews-v1.default.svc.cluster.local",
                PortList.getDefaultInstance()))), List.of(reviews, v1), List.of());
        assertThat(resolve(state, "10.244.2.7", 9080)).isEmpty();
    }

    @Test
    void anUnknownDestinationHasNoService() throws Exception {
        MeshState state = MeshState.of(List.of(), List.of(service("echo", "10.96.0.10", 80, 8080)), List.of());
        assertThat(InboundService.resolve(state, ip("10.244.9.9"), 8080, Optional.empty())).isEmpty();
    }
}
