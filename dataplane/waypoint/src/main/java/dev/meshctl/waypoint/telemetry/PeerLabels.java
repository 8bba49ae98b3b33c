package dev.meshctl.waypoint.telemetry;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.peer.PeerNames;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Names one end of a request for Istio's labels: its workload (e.g. the Deployment), {@code app}, {@code version},
 * canonical service and revision, and cluster. Missing parts are {@code unknown}, as Istio reports them.
 *
 * @param workload the owner's name, e.g. the Deployment
 * @param app the workload's {@code app} (or {@code app.kubernetes.io/name}) label
 * @param version the workload's {@code version} (or {@code app.kubernetes.io/version}) label
 * @param canonicalService the canonical service (label, else the owner's name)
 * @param canonicalRevision the canonical revision (label, else {@code latest})
 * @param cluster the cluster the workload runs in
 */
public record PeerLabels(String workload, String app, String version, String canonicalService,
                         String canonicalRevision, String cluster) {

    /** The value reported for anything not known. */
    public static final String UNKNOWN = "unknown";
    /** The cluster name Istio reports when none is configured. */
    public static final String DEFAULT_CLUSTER = "Kubernetes";
    /** A peer about which nothing is known. */
    public static final PeerLabels NONE = new PeerLabels(null, null, null, null, null, null);

    private static final String NAMESPACE = PeerNames.NAMESPACE;
    private static final String CLUSTER = PeerNames.CLUSTER;
    private static final String WORKLOAD = PeerNames.WORKLOAD;

    /** Replaces missing or empty parts with {@code unknown}. */
    public PeerLabels {
        workload = orUnknown(workload);
        app = orUnknown(app);
        version = orUnknown(version);
        canonicalService = orUnknown(canonicalService);
        canonicalRevision = orUnknown(canonicalRevision);
        cluster = orUnknown(cluster);
    }

    /** Returns the labels of {@code workload}, from its pod labels and what the control plane derived. */
    public static PeerLabels of(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        Map<String, String> labels = workload.getLabelsMap();
        String owner = workload.getWorkloadName().isEmpty() ? workload.getName() : workload.getWorkloadName();
        return new PeerLabels(owner, PeerNames.app(labels),
                PeerNames.version(labels),
                workload.getCanonicalName().isEmpty() ? owner : workload.getCanonicalName(),
                workload.getCanonicalRevision().isEmpty() ? "latest" : workload.getCanonicalRevision(),
                workload.getClusterId().isEmpty() ? DEFAULT_CLUSTER : workload.getClusterId());
    }

    /**
     * Returns the labels a sender's {@code baggage} members give, when they name a workload in {@code namespace} (the
     * namespace of the sender's verified identity): a sender may describe itself, never another namespace.
     */
    public static Optional<PeerLabels> fromBaggage(Map<String, String> baggage, Optional<String> namespace) {
        Objects.requireNonNull(baggage, "baggage");
        Objects.requireNonNull(namespace, "namespace");
        String workload = baggage.get(WORKLOAD);
        for (Map.Entry<String, String> e : baggage.entrySet()) {
            String k = e.getKey();
            if (workload == null && k.startsWith("k8s.") && k.endsWith(".name") && !k.equals(NAMESPACE)
                    && !k.equals(CLUSTER) && !k.equals("k8s.pod.name")) {
                workload = e.getValue(); // another owner kind, as ztunnel names it
            }
        }
        if (workload == null || namespace.isEmpty() || !namespace.get().equals(baggage.get(NAMESPACE))) {
            return Optional.empty();
        }
        return Optional.of(new PeerLabels(workload, baggage.get("app.name"), baggage.get("app.version"),
                baggage.get("service.name"), baggage.get("service.version"), baggage.get(CLUSTER)));
    }

    /** Returns the {@code baggage} value by which a waypoint names itself: {@code name} in {@code namespace}. */
    public static String selfBaggage(String namespace, String name) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        return CLUSTER + "=" + DEFAULT_CLUSTER + "," + NAMESPACE + "=" + namespace + "," + WORKLOAD + "=" + name
                + ",service.name=" + name + ",service.version=latest";
    }

    /** Returns the members of a W3C {@code baggage} value ({@code k=v,k=v;props}), the first of a key winning. */
    public static Map<String, String> parseBaggage(String header) {
        return PeerNames.parseBaggage(header);
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? UNKNOWN : value;
    }
}
