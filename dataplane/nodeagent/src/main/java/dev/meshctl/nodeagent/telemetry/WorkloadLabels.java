package dev.meshctl.nodeagent.telemetry;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.peer.PeerNames;
import java.util.Map;
import java.util.Objects;

/**
 * Holds Istio's standard labels of one end of a connection: {@code *_app}, {@code *_version},
 * {@code *_canonical_service}, {@code *_canonical_revision} and {@code *_cluster}. Missing parts are {@code unknown}.
 *
 * @param app the workload's {@code app} (or {@code app.kubernetes.io/name}) label
 * @param version the workload's {@code version} (or {@code app.kubernetes.io/version}) label
 * @param canonicalService the canonical service the control plane derived (label, else the owner's name)
 * @param canonicalRevision the canonical revision the control plane derived (label, else {@code latest})
 * @param cluster the cluster the workload runs in
 */
public record WorkloadLabels(String app, String version, String canonicalService, String canonicalRevision,
                             String cluster) {

    /** The cluster name Istio reports when none is configured. */
    public static final String DEFAULT_CLUSTER = "Kubernetes";

    /** Labels of a peer about which nothing is known. */
    public static final WorkloadLabels UNKNOWN = new WorkloadLabels(null, null, null, null, null);

    /** Replaces missing or empty parts with {@code unknown}. */
    public WorkloadLabels {
        app = Peer.orUnknown(app);
        version = Peer.orUnknown(version);
        canonicalService = Peer.orUnknown(canonicalService);
        canonicalRevision = Peer.orUnknown(canonicalRevision);
        cluster = Peer.orUnknown(cluster);
    }

    /** Returns the labels of {@code workload}, taken from its pod labels and what the control plane derived. */
    public static WorkloadLabels of(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        Map<String, String> labels = workload.getLabelsMap();
        String owner = workload.getWorkloadName().isEmpty() ? workload.getName() : workload.getWorkloadName();
        return new WorkloadLabels(PeerNames.app(labels),
                PeerNames.version(labels),
                workload.getCanonicalName().isEmpty() ? owner : workload.getCanonicalName(),
                workload.getCanonicalRevision().isEmpty() ? "latest" : workload.getCanonicalRevision(),
                clusterOf(workload));
    }

    /** Returns the cluster {@code workload} runs in: its {@code cluster_id}, else Istio's default name. */
    public static String clusterOf(Workload workload) {
        return workload.getClusterId().isEmpty() ? DEFAULT_CLUSTER : workload.getClusterId();
    }
}
