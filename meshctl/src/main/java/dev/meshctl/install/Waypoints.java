package dev.meshctl.install;

import dev.meshctl.controlplane.ca.NodeCredentials;
import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Outcome;
import dev.meshctl.lab.Progress;
import dev.meshctl.lab.workload.Endpoints;
import dev.meshctl.objects.ObjectParser;
import dev.meshctl.objects.ParsedObject;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs waypoints on the netns lab: issues each its bootstrap token, applies its Gateway, ServiceAccount and
 * Deployment through the lab (so the control plane sees them), lists and deletes them, and reads the control
 * plane's view of which traffic is bound to them.
 *
 * <pre>{@code
 * Waypoints w = new Waypoints(cluster);
 * w.apply(WaypointsSpec.of("default", Optional.empty(), "service", Optional.empty()), true, false,
 *     Optional.of(Duration.ofSeconds(60)), Progress.NONE);
 * }</pre>
 */
public final class Waypoints {

    /** The namespace label that binds a namespace's traffic to a waypoint. */
    public static final String USE_WAYPOINT = "istio.io/use-waypoint";
    private static final Set<String> CLASSES = Set.of("istio-waypoint", "meshctl-waypoint");

    private final Cluster cluster;
    private final Installer installer;
    private final ComponentHost host;
    private final MeshLayout layout;

    /** Opens the waypoints of {@code cluster}; throws if the lab runs no mesh components itself (kind). */
    public Waypoints(Cluster cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.installer = new Installer(cluster);
        this.host = installer.host();
        this.layout = MeshLayout.of(host.stateDir());
    }

    /**
     * A row of {@code meshctl waypoint list}.
     *
     * @param namespace the Gateway's namespace
     * @param name the Gateway's name
     * @param revision the control plane revision (always {@code default})
     * @param programmed whether a ready instance runs
     */
    public record Row(String namespace, String name, String revision, boolean programmed) {
    }

    /**
     * Applies a waypoint and, with {@code enrollNamespace}, labels its namespace to use it; with {@code wait} waits
     * that long for its pod to be ready. Returns kubectl-like lines.
     */
    public List<String> apply(WaypointsSpec spec, boolean enrollNamespace, boolean overwrite, Optional<Duration> wait,
                              Progress progress) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(wait, "wait");
        Objects.requireNonNull(progress, "progress");
        String trustDomain = requireInstalled();
        Path token = tokenFile(spec);
        if (!Files.exists(token)) {
            progress.step("issuing the bootstrap token " + spec.tokenName());
            writeToken(token, NodeCredentials.open(layout.nodeTokens()).issue(spec.tokenName()));
        }
        String yaml = WaypointsManifests.lab(spec, host.controlPlaneIp() + ":" + Installer.GRPC_PORT, token,
                layout.rootCert(), trustDomain);
        List<ParsedObject> objects = new ObjectParser().parse("waypoint " + spec.key(), yaml);
        Outcome outcome = cluster.apply(objects, progress);
        List<String> lines = new ArrayList<>(outcome.done());
        if (!outcome.ok()) {
            throw new LabException("waypoint " + spec.key() + " was not applied: " + String.join("; ", outcome.failed()));
        }
        lines.add("waypoint " + spec.key() + " applied");
        if (enrollNamespace) {
            lines.add(cluster.label("namespace", null, spec.namespace(), Map.of(USE_WAYPOINT, spec.name()), Set.of(),
                    overwrite));
            lines.add("namespace " + spec.namespace() + " labeled with \"" + USE_WAYPOINT + "=" + spec.name() + "\"");
        }
        if (wait.isPresent()) {
            progress.step("waiting for waypoint " + spec.key() + " to be ready");
            awaitReady(spec, wait.get());
            lines.add("waypoint " + spec.key() + " is ready");
        }
        return lines;
    }

    /** Lists the waypoints of {@code namespace} (all namespaces when null), sorted. */
    public List<Row> list(String namespace) {
        requireInstalled();
        cluster.status();
        List<Pod> pods = cluster.list(Pod.class, namespace);
        List<Row> rows = new ArrayList<>();
        for (Gateway g : cluster.list(Gateway.class, namespace)) {
            if (g.getSpec() == null || !CLASSES.contains(g.getSpec().getGatewayClassName())) {
                continue;
            }
            String ns = g.getMetadata().getNamespace();
            String name = g.getMetadata().getName();
            rows.add(new Row(ns, name, "default", readyInstance(pods, ns, name)));
        }
        rows.sort(Comparator.comparing(Row::namespace).thenComparing(Row::name));
        return rows;
    }

    /** Deletes what {@link #apply} made for {@code namespace/name} and revokes its token; returns kubectl-like lines. */
    public List<String> delete(String namespace, String name, Progress progress) {
        WaypointsSpec spec = new WaypointsSpec(namespace, name, "service", Optional.empty());
        String trustDomain = requireInstalled();
        boolean exists = cluster.list(Gateway.class, namespace).stream()
                .anyMatch(g -> g.getMetadata().getName().equals(name));
        if (!exists) {
            throw new LabException("waypoint " + spec.key() + " not found: see `meshctl waypoint list -n " + namespace
                    + "`");
        }
        String yaml = WaypointsManifests.lab(spec, host.controlPlaneIp(), tokenFile(spec), layout.rootCert(),
                trustDomain);
        Outcome outcome = cluster.delete(new ObjectParser().parse("waypoint " + spec.key(), yaml), progress);
        NodeCredentials.open(layout.nodeTokens()).revoke(spec.tokenName());
        try {
            Files.deleteIfExists(tokenFile(spec));
        } catch (IOException e) {
            throw new LabException("cannot remove the token file " + tokenFile(spec) + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>(outcome.done());
        lines.addAll(outcome.failed());
        lines.add("waypoint " + spec.key() + " deleted");
        return lines;
    }

    /** Returns the control plane's bindings to waypoints of {@code namespace} (all when null) named {@code name}. */
    public List<WaypointsStatus.Binding> status(String namespace, String name) {
        requireInstalled();
        cluster.status();
        ComponentHost.ExecResult r = host.exec(ComponentHost.CONTROL_PLANE, List.of("curl", "-sf", "--max-time", "3",
                "http://127.0.0.1:" + Installer.DEBUG_PORT + "/debug/waypoints"));
        if (!r.ok()) {
            throw new LabException("the control plane's /debug/waypoints is unreachable (curl exit " + r.exitCode()
                    + "): check `meshctl check` and the control plane log");
        }
        return WaypointsStatus.parse(r.stdout(), namespace, name);
    }

    /** Returns where the token of a waypoint is kept: {@code <lab state>/mesh/waypoints/<ns>/<name>/token}. */
    Path tokenFile(WaypointsSpec spec) {
        return layout.root().resolve("waypoints").resolve(spec.namespace()).resolve(spec.name()).resolve("token");
    }

    private void awaitReady(WaypointsSpec spec, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The lab records a pod's readiness when asked for its status; that also lets the control plane see it.
        while (!refreshedReady(spec)) {
            if (System.nanoTime() > deadline) {
                throw new LabException("waypoint " + spec.key() + " has no ready pod after " + timeout.toSeconds()
                        + "s: see `meshctl logs -n " + spec.namespace() + " deploy/" + spec.name() + "`");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for waypoint " + spec.key());
            }
        }
    }

    private boolean refreshedReady(WaypointsSpec spec) {
        cluster.status();
        return readyInstance(cluster.list(Pod.class, spec.namespace()), spec.namespace(), spec.name());
    }

    private static boolean readyInstance(List<Pod> pods, String namespace, String name) {
        return pods.stream().anyMatch(p -> namespace.equals(p.getMetadata().getNamespace())
                && p.getMetadata().getLabels() != null
                && name.equals(p.getMetadata().getLabels().get(WaypointsManifests.GATEWAY_NAME))
                && Endpoints.ready(p));
    }

    private String requireInstalled() {
        return installer.state().map(InstallState::trustDomain)
                .filter(td -> td != null && !td.isEmpty())
                .orElseThrow(() -> new LabException("the mesh is not installed on lab " + cluster.name()
                        + ": run `meshctl install` first"));
    }

    private static void writeToken(Path file, String token) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LabException("cannot write the waypoint token " + file + ": " + e.getMessage(), e);
        }
    }
}
