package dev.meshctl.waypoint;

import dev.meshctl.core.tls.TestPki;
import com.google.protobuf.Message;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.GatewayAddress;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.ConfigState;
import java.util.ArrayList;
import java.util.List;

/** Builds config states for tests: services bound to the test waypoint, their workloads, routes and policies. */
final class Mesh {

    static final String WAYPOINT = TestPki.spiffe("default", "waypoint");

    private final List<Message> resources = new ArrayList<>();

    Mesh service(String name, String vip, int port, String appProtocol) {
        resources.add(Service.newBuilder().setName(name).setNamespace("default").setHostname(host(name))
                .addAddresses(vip)
                .addPorts(Port.newBuilder().setServicePort(port).setTargetPort(port).setAppProtocol(appProtocol)
                        .setName(appProtocol))
                .setWaypoint(GatewayAddress.newBuilder().setAddress("127.0.0.1").setHbonePort(15008)
                        .setIdentity(WAYPOINT))
                .build());
        return this;
    }

    Mesh workload(String name, String ip, int port, String sa, String... services) {
        Workload.Builder w = Workload.newBuilder().setUid("default/" + name).setName(name).setNamespace("default")
                .addAddresses(ip).setServiceAccount(sa).setTrustDomain("cluster.local").setWorkloadName(name);
        for (String service : services) {
            w.putServices("default/" + host(service), PortList.newBuilder()
                    .addPorts(Port.newBuilder().setServicePort(port).setTargetPort(port)).build());
        }
        resources.add(w.build());
        return this;
    }

    Mesh add(Message m) {
        resources.add(m);
        return this;
    }

    ConfigState build() {
        ConfigState state = ConfigState.empty();
        for (Message m : resources) {
            String name;
            if (m instanceof Service s) {
                name = s.getNamespace() + "/" + s.getHostname();
            } else if (m instanceof Workload w) {
                name = w.getUid();
            } else if (m instanceof Route r) {
                name = r.getNamespace() + "/" + r.getName();
            } else if (m instanceof Authorization a) {
                name = a.getNamespace() + "/" + a.getName();
            } else {
                throw new IllegalArgumentException("unexpected " + m);
            }
            state = state.apply(TypeUrls.of(m), List.of(Resource.newBuilder().setName(name).setVersion("1")
                    .setResource(TypeUrls.pack(m)).build()), List.of());
        }
        return state;
    }

    static String host(String name) {
        return name + ".default.svc.cluster.local";
    }

    static String key(String name) {
        return "default/" + host(name);
    }
}
