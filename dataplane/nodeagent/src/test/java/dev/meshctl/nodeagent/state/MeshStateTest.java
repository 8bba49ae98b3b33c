package dev.meshctl.nodeagent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.GatewayAddress;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.api.mesh.WorkloadStatus;
import dev.meshctl.core.config.ConfigState;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshStateTest {

    private static final String SVC = "default/web.default.svc.cluster.local";
    private static final Service WEB = Service.newBuilder().setName("web").setNamespace("default")
            .setHostname("web.default.svc.cluster.local").addAddresses("10.96.0.1").addAddresses("fd00:96::1")
            .addPorts(port(80, 8080)).addPorts(port(443, 0)).build();
    private static final Workload A = workload("b-web-1", "10.0.0.1", "n1")
            .putServices(SVC, PortList.newBuilder().addPorts(port(80, 8081)).build()).build();
    private static final Workload B = workload("a-web-2", "10.0.0.2", "n2")
            .putServices(SVC, PortList.getDefaultInstance()).build();
    private static final Workload SICK = workload("sick", "10.0.0.3", "n1").setStatus(WorkloadStatus.UNHEALTHY)
            .putServices(SVC, PortList.getDefaultInstance()).build();
    private static final Workload NO_IP = Workload.newBuilder().setUid("no-ip").setNamespace("default").setNode("n1")
            .addAddresses("not-an-ip").putServices(SVC, PortList.getDefaultInstance()).build();
    private static final MeshState STATE = MeshState.of(List.of(A, B, SICK, NO_IP), List.of(WEB), List.of());

    @Test
    void findsWorkloadsAndServicesByIp() {
        assertThat(STATE.workloadByIp("10.0.0.2")).contains(B);
        assertThat(STATE.workloadByIp("10.0.0.9")).isEmpty();
        assertThat(STATE.workloadByIp("not-an-ip")).isEmpty();
        assertThat(STATE.serviceByVip("10.96.0.1")).contains(WEB);
        assertThat(STATE.serviceByVip("fd00:96:0::1")).contains(WEB);
        assertThat(STATE.serviceByVip("10.0.0.1")).isEmpty();
        assertThat(STATE.serviceByKey(SVC)).contains(WEB);
        assertThat(STATE.serviceByHostname("web.default.svc.cluster.local")).contains(WEB);
    }

    @Test
    void sharedIpGoesToTheSmallerUid() {
        Workload z = workload("z", "10.0.0.1", "n1").build();
        assertThat(MeshState.of(List.of(z, A), List.of(), List.of()).workloadByIp("10.0.0.1")).contains(A);
    }

    @Test
    void endpointsAreHealthyAddressedBackendsByUid() {
        List<Endpoint> endpoints = STATE.endpoints(WEB);
        assertThat(endpoints).extracting(Endpoint::workload).containsExactly(B, A);
        assertThat(endpoints.get(1).targetPort(80)).hasValue(8081);
        assertThat(endpoints.get(0).targetPort(80)).hasValue(8080);
        assertThat(endpoints.get(0).targetPort(443)).hasValue(443);
        assertThat(endpoints.get(0).targetPort(22)).isEmpty();
        assertThat(endpoints.get(0).address().getHostAddress()).isEqualTo("10.0.0.2");
    }

    @Test
    void localWorkloadsAreThoseOnTheNode() {
        assertThat(STATE.localWorkloads("n1")).containsExactly(A, NO_IP, SICK);
        assertThat(STATE.localWorkloads("n3")).isEmpty();
    }

    @Test
    void policiesForUsesTheScope() {
        Authorization ns = Authorization.newBuilder().setName("ns").setNamespace("default").setScope(Scope.NAMESPACE).build();
        Authorization other = ns.toBuilder().setName("other").setNamespace("prod").build();
        Authorization selected = ns.toBuilder().setName("sel").setScope(Scope.WORKLOAD_SELECTOR)
                .putSelector("app", "web").setAction(Action.DENY).build();
        Authorization unselected = selected.toBuilder().setName("unsel").putSelector("app", "db").build();
        MeshState state = MeshState.of(List.of(A), List.of(), List.of(ns, other, selected, unselected));
        assertThat(state.policiesFor(A)).containsExactly(ns, selected);
    }

    @Test
    void readsAConfigState() {
        ConfigState config = ConfigState.empty()
                .apply(TypeUrls.WORKLOAD, List.of(resource("default/a", A)), List.of())
                .apply(TypeUrls.SERVICE, List.of(resource(SVC, WEB)), List.of());
        MeshState state = MeshState.of(config);
        assertThat(state.workloads()).containsExactly(A);
        assertThat(state.serviceByVip("10.96.0.1")).contains(WEB);
        assertThat(state.policies()).isEmpty();
        assertThat(MeshState.empty().workloads()).isEmpty();
    }

    @Test
    void identityAndWaypointHelpers() {
        assertThat(MeshState.identityOf(Workload.newBuilder().setNamespace("ns").build()))
                .isEqualTo("spiffe://cluster.local/ns/ns/sa/default");
        assertThat(MeshState.identityOf(A)).isEqualTo("spiffe://cluster.local/ns/default/sa/web");
        assertThat(MeshState.waypointOf(WEB)).isEmpty();
        GatewayAddress wp = GatewayAddress.newBuilder().setAddress("10.0.0.9").build();
        assertThat(MeshState.waypointOf(A.toBuilder().setWaypoint(wp).build())).contains(wp);
        assertThat(MeshState.keyOf(WEB)).isEqualTo(SVC);
    }

    @Test
    void refusesNulls() {
        assertThatNullPointerException().isThrownBy(() -> STATE.workloadByIp((String) null)).withMessage("ip");
        assertThatNullPointerException().isThrownBy(() -> MeshState.of((ConfigState) null)).withMessage("config");
    }

    private static Workload.Builder workload(String name, String ip, String node) {
        return Workload.newBuilder().setUid(name).setName(name).setNamespace("default").setNode(node)
                .addAddresses(ip).setServiceAccount("web").putLabels("app", "web");
    }

    private static Port port(int servicePort, int targetPort) {
        return Port.newBuilder().setServicePort(servicePort).setTargetPort(targetPort).build();
    }

    private static Resource resource(String name, com.google.protobuf.Message m) {
        return Resource.newBuilder().setName(name).setVersion("1").setResource(TypeUrls.pack(m)).build();
    }
}
