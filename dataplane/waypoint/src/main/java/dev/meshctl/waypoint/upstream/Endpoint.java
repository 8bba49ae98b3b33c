package dev.meshctl.waypoint.upstream;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One workload able to serve a backend: where to send HTTP and whom to expect there.
 *
 * @param uid the workload uid
 * @param name the pod name
 * @param namespace the pod namespace
 * @param workloadName the owner used in telemetry (e.g. the Deployment name)
 * @param address the pod IP
 * @param port the target port on the pod
 * @param identity the pod's SPIFFE id
 * @param appProtocol the port's declared protocol ("http", "http2", "grpc" or empty)
 */
public record Endpoint(String uid, String name, String namespace, String workloadName, InetAddress address,
                       int port, String identity, String appProtocol) {

    /** Checks that every part is present. */
    public Endpoint {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(workloadName, "workloadName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(appProtocol, "appProtocol");
    }

    /** Returns the {@code :authority} of the HBONE stream to this endpoint: {@code podIP:port}. */
    public String authority() {
        String ip = address.getHostAddress();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
