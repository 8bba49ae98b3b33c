package dev.meshctl.waypoint;

import dev.meshctl.api.mesh.Port;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The target of one tunnel: a Service bound to this waypoint (by VIP) or a single workload (by pod IP).
 *
 * @param target the CONNECT {@code :authority} as an address
 * @param serviceKey "namespace/hostname" of the service, or empty for a workload target
 * @param workloadUid the workload's uid for a workload target, else empty
 * @param namespace the namespace of the service or workload
 * @param name the service's name or the workload's name
 * @param port the port entry the target named (service port and target port, protocol)
 */
public record Destination(InetSocketAddress target, Optional<String> serviceKey, Optional<String> workloadUid,
                          String namespace, String name, Port port) {

    /** Checks that exactly one of service and workload is named. */
    public Destination {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(serviceKey, "serviceKey");
        Objects.requireNonNull(workloadUid, "workloadUid");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(port, "port");
        if (serviceKey.isPresent() == workloadUid.isPresent()) {
            throw new IllegalArgumentException("a destination names a service or a workload, not both or neither");
        }
    }

    /** Returns the hostname of the service ("reviews.default.svc.cluster.local"), or the workload name. */
    public String hostname() {
        return serviceKey.map(k -> k.substring(k.indexOf('/') + 1)).orElse(name);
    }
}
