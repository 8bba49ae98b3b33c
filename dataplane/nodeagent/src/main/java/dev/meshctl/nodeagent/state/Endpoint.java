package dev.meshctl.nodeagent.state;

import dev.meshctl.api.mesh.Workload;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A healthy workload backing a service, with the address to reach it at and the port it listens on for each
 * service port.
 *
 * @param workload the backing workload
 * @param address the workload's first address
 * @param targetPorts service port -> the port the workload listens on
 */
public record Endpoint(Workload workload, InetAddress address, Map<Integer, Integer> targetPorts) {

    /** Checks every part and copies the port map. */
    public Endpoint {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(address, "address");
        targetPorts = Map.copyOf(Objects.requireNonNull(targetPorts, "targetPorts"));
    }

    /** Returns the port the workload listens on for {@code servicePort}; empty if it does not serve that port. */
    public OptionalInt targetPort(int servicePort) {
        Integer port = targetPorts.get(servicePort);
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }
}
