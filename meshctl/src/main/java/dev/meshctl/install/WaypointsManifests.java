package dev.meshctl.install;

import java.nio.file.Path;
import java.util.Objects;

/** Renders the objects of a waypoint as YAML: the Gateway alone ({@code generate}), or all the lab runs it with. */
public final class WaypointsManifests {

    /** The image the lab runs a waypoint from. */
    public static final String IMAGE = "meshctl/waypoint:0.1.0";
    /** The pod label the control plane finds a waypoint's instances by. */
    public static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";
    /** The annotation that makes a waypoint serve one service account. */
    public static final String SERVICE_ACCOUNT_ANNOTATION = "meshctl.dev/service-account";

    private WaypointsManifests() {
    }

    /** Returns the Gateway YAML: class {@code istio-waypoint}, listener {@code mesh} on 15008 (HBONE). */
    public static String gateway(WaypointsSpec spec) {
        Objects.requireNonNull(spec, "spec");
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: gateway.networking.k8s.io/v1\n")
                .append("kind: Gateway\n")
                .append("metadata:\n")
                .append("  name: ").append(spec.name()).append('\n')
                .append("  namespace: ").append(spec.namespace()).append('\n')
                .append("  labels:\n")
                .append("    istio.io/waypoint-for: ").append(spec.waypointFor()).append('\n');
        spec.serviceAccount().ifPresent(sa -> y.append("  annotations:\n")
                .append("    ").append(SERVICE_ACCOUNT_ANNOTATION).append(": ").append(sa).append('\n'));
        y.append("spec:\n")
                .append("  gatewayClassName: istio-waypoint\n")
                .append("  listeners:\n")
                .append("  - name: mesh\n")
                .append("    port: 15008\n")
                .append("    protocol: HBONE\n");
        return y.toString();
    }

    /**
     * Returns the Gateway, a ServiceAccount and a one-replica Deployment of image {@link #IMAGE} configured by env,
     * as the netns lab runs them. The readiness port is declared so the lab reports the pod ready only once the
     * waypoint listens there, which it does only with its certificate and config.
     */
    public static String lab(WaypointsSpec spec, String controlPlane, Path tokenFile, Path rootCert,
                             String trustDomain) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(rootCert, "rootCert");
        Objects.requireNonNull(trustDomain, "trustDomain");
        String n = spec.name();
        return gateway(spec)
                + "---\n"
                + "apiVersion: v1\n"
                + "kind: ServiceAccount\n"
                + "metadata:\n"
                + "  name: " + n + "\n"
                + "  namespace: " + spec.namespace() + "\n"
                + "---\n"
                + "apiVersion: apps/v1\n"
                + "kind: Deployment\n"
                + "metadata:\n"
                + "  name: " + n + "\n"
                + "  namespace: " + spec.namespace() + "\n"
                + "  labels:\n"
                + "    " + GATEWAY_NAME + ": " + n + "\n"
                + "spec:\n"
                + "  replicas: 1\n"
                + "  selector:\n"
                + "    matchLabels:\n"
                + "      " + GATEWAY_NAME + ": " + n + "\n"
                + "  template:\n"
                + "    metadata:\n"
                + "      labels:\n"
                + "        " + GATEWAY_NAME + ": " + n + "\n"
                + "    spec:\n"
                + "      serviceAccountName: " + n + "\n"
                + "      containers:\n"
                + "      - name: waypoint\n"
                + "        image: " + IMAGE + "\n"
                + "        ports:\n"
                + "        - containerPort: 15008\n"
                + "        - containerPort: 15020\n"
                + "        - containerPort: 15021\n"
                + "        env:\n"
                + env("WAYPOINT_NAMESPACE", spec.namespace())
                + env("WAYPOINT_NAME", n)
                + env("CONTROL_PLANE", controlPlane)
                + env("TOKEN_FILE", tokenFile.toString())
                + env("ROOT_CERT", rootCert.toString())
                + env("TRUST_DOMAIN", trustDomain);
    }

    private static String env(String name, String value) {
        return "        - name: " + name + "\n          value: \"" + value.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"\n";
    }
}
