package dev.meshctl.nodeagent.telemetry;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.nodeagent.state.MeshState;
import java.util.Objects;

/**
 * Names one end of a connection for telemetry: its workload (e.g. the Deployment), namespace, SPIFFE identity and
 * Istio's standard labels. Missing parts are {@code unknown}, as Istio reports them.
 */
public record Peer(String workload, String namespace, String identity, WorkloadLabels labels) {

    /** The value reported for anything not known. */
    public static final String UNKNOWN = "unknown";

    /** A peer about which nothing is known (e.g. a client outside the mesh). */
    public static final Peer NONE = new Peer(UNKNOWN, UNKNOWN, UNKNOWN);

    /** Replaces missing or empty parts with {@code unknown}. */
    public Peer {
        workload = orUnknown(workload);
        namespace = orUnknown(namespace);
        identity = orUnknown(identity);
        labels = labels == null ? WorkloadLabels.UNKNOWN : labels;
    }

    /** Creates a peer whose standard labels are unknown. */
    public Peer(String workload, String namespace, String identity) {
        this(workload, namespace, identity, WorkloadLabels.UNKNOWN);
    }

    /** Returns a peer known only by its identity (e.g. a verified HBONE client that is no known workload). */
    public static Peer identityOnly(String identity) {
        return new Peer(UNKNOWN, UNKNOWN, Objects.requireNonNull(identity, "identity"));
    }

    /** Returns the peer for {@code workload}: its owner's name (e.g. the Deployment), namespace, identity, labels. */
    public static Peer of(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        String name = workload.getWorkloadName().isEmpty() ? workload.getName() : workload.getWorkloadName();
        return new Peer(name, workload.getNamespace(), MeshState.identityOf(workload), WorkloadLabels.of(workload));
    }

    /**
     * Returns the peer for a workload found only by the client's IP address, as for plain text: its name, namespace
     * and labels are a best-effort description, but an address proves no identity, so the identity is
     * {@code unknown}.
     */
    public static Peer unverified(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        Peer named = of(workload);
        return new Peer(named.workload(), named.namespace(), UNKNOWN, named.labels());
    }

    static String orUnknown(String value) {
        return value == null || value.isEmpty() ? UNKNOWN : value;
    }
}
