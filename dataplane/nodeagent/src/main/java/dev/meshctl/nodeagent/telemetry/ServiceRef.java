package dev.meshctl.nodeagent.telemetry;

import dev.meshctl.api.mesh.Service;
import java.util.Objects;
import java.util.Optional;

/**
 * Names the service a connection was for, as the {@code destination_service}, {@code destination_service_name} and
 * {@code destination_service_namespace} labels report it. Missing parts are {@code unknown}, as Istio reports them.
 *
 * @param hostname e.g. {@code productpage.default.svc.cluster.local}
 * @param name the Service's name, e.g. {@code productpage}
 * @param namespace the Service's namespace
 */
public record ServiceRef(String hostname, String name, String namespace) {

    /** A connection whose service is not known (e.g. one made to a pod IP that several services select). */
    public static final ServiceRef UNKNOWN = new ServiceRef(Peer.UNKNOWN, Peer.UNKNOWN, Peer.UNKNOWN);

    /** Replaces missing or empty parts with {@code unknown}. */
    public ServiceRef {
        hostname = Peer.orUnknown(hostname);
        name = Peer.orUnknown(name);
        namespace = Peer.orUnknown(namespace);
    }

    /** Returns the reference to {@code service}. */
    public static ServiceRef of(Service service) {
        Objects.requireNonNull(service, "service");
        return new ServiceRef(service.getHostname(), service.getName(), service.getNamespace());
    }

    /** Returns the reference to {@code service}, or {@link #UNKNOWN} when there is none. */
    public static ServiceRef of(Optional<Service> service) {
        return Objects.requireNonNull(service, "service").map(ServiceRef::of).orElse(UNKNOWN);
    }
}
