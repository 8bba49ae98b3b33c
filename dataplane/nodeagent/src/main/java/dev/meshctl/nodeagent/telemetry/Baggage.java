package dev.meshctl.nodeagent.telemetry;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.peer.PeerNames;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes and reads the W3C {@code baggage} header by which HBONE peers name their workload, as ztunnel does:
 * {@code k8s.cluster.name=..,k8s.namespace.name=..,k8s.deployment.name=..,service.name=..,service.version=..}, plus
 * {@code app.name}/{@code app.version} when the workload carries those labels.
 */
public final class Baggage {

    private static final String NAMESPACE = PeerNames.NAMESPACE;
    private static final String CLUSTER = PeerNames.CLUSTER;
    private static final String WORKLOAD = PeerNames.WORKLOAD;

    private Baggage() {
    }

    /** Returns the {@code baggage} value naming {@code workload}. */
    public static String of(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        Peer peer = Peer.of(workload);
        WorkloadLabels l = peer.labels();
        StringBuilder b = new StringBuilder()
                .append(CLUSTER).append('=').append(l.cluster())
                .append(',').append(NAMESPACE).append('=').append(peer.namespace())
                .append(',').append(WORKLOAD).append('=').append(peer.workload())
                .append(",service.name=").append(l.canonicalService())
                .append(",service.version=").append(l.canonicalRevision());
        if (!l.app().equals(Peer.UNKNOWN)) {
            b.append(",app.name=").append(l.app());
        }
        if (!l.version().equals(Peer.UNKNOWN)) {
            b.append(",app.version=").append(l.version());
        }
        return b.toString();
    }

    /**
     * Returns the peer that {@code header} names, holding {@code identity} — only when the header names a workload in
     * the identity's own namespace: the identity was verified, the header was not, so a peer may describe itself but
     * never claim another namespace.
     */
    public static Optional<Peer> peer(String header, String identity) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(identity, "identity");
        Map<String, String> members = parse(header);
        String namespace = members.get(NAMESPACE);
        if (namespace == null || !namespace.equals(namespaceOf(identity).orElse(null))) {
            return Optional.empty();
        }
        String workload = members.get(WORKLOAD);
        for (Map.Entry<String, String> e : members.entrySet()) {
            String k = e.getKey();
            if (workload == null && k.startsWith("k8s.") && k.endsWith(".name") && !k.equals(NAMESPACE)
                    && !k.equals(CLUSTER) && !k.equals("k8s.pod.name")) {
                workload = e.getValue(); // another owner kind, as ztunnel names it
            }
        }
        if (workload == null) {
            return Optional.empty();
        }
        return Optional.of(new Peer(workload, namespace, identity, new WorkloadLabels(members.get("app.name"),
                members.get("app.version"), members.get("service.name"), members.get("service.version"),
                members.get(CLUSTER))));
    }

    /** Returns the members of a {@code baggage} value ({@code k=v,k=v;props}), first one of a key winning. */
    static Map<String, String> parse(String header) {
        return PeerNames.parseBaggage(header);
    }

    /** Returns the {@code /ns/<namespace>/} segment of a SPIFFE id. */
    static Optional<String> namespaceOf(String identity) {
        String[] parts = identity.split("/");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("ns") && !parts[i + 1].isEmpty()) {
                return Optional.of(parts[i + 1]);
            }
        }
        return Optional.empty();
    }
}
