package dev.meshctl.waypoint;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings {@code meshctl component waypoint} runs with, from options or, so a pod's env can configure it, from
 * environment variables ({@code WAYPOINT_NAMESPACE, WAYPOINT_NAME, CONTROL_PLANE, TOKEN_FILE, ROOT_CERT,
 * TRUST_DOMAIN}); an option wins over its variable.
 *
 * @param namespace the waypoint's namespace
 * @param name the waypoint's (Gateway's) name
 * @param controlPlane the control plane's {@code host:port} (discovery and CA)
 * @param tokenFile the bootstrap token issued for {@code waypoint/<namespace>/<name>}
 * @param rootCert the mesh root certificate the control plane's TLS chains to
 * @param trustDomain the SPIFFE trust domain
 * @param serviceAccount the service account whose identity the waypoint presents (defaults to the name)
 */
public record WaypointSettings(String namespace, String name, String controlPlane, Path tokenFile, Path rootCert,
                               String trustDomain, String serviceAccount) {

    private static final Map<String, String> ENV = Map.of(
            "--namespace", "WAYPOINT_NAMESPACE",
            "--name", "WAYPOINT_NAME",
            "--control-plane", "CONTROL_PLANE",
            "--token-file", "TOKEN_FILE",
            "--root-cert", "ROOT_CERT",
            "--trust-domain", "TRUST_DOMAIN",
            "--service-account", "WAYPOINT_SERVICE_ACCOUNT");

    /** Usage text for errors. */
    public static final String USAGE = "usage: meshctl component waypoint --namespace NS --name NAME"
            + " --control-plane HOST:PORT --token-file FILE --root-cert FILE [--trust-domain TD]"
            + " [--service-account SA] (or env WAYPOINT_NAMESPACE, WAYPOINT_NAME, CONTROL_PLANE, TOKEN_FILE,"
            + " ROOT_CERT, TRUST_DOMAIN, WAYPOINT_SERVICE_ACCOUNT)";

    /** Checks the fields. */
    public WaypointSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(rootCert, "rootCert");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
    }

    /**
     * Parses {@code args}, falling back to {@code env}.
     *
     * @throws IllegalArgumentException naming the unknown option or the missing setting
     */
    public static WaypointSettings parse(List<String> args, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String key = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                key = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("option " + arg + " needs a value; " + USAGE);
            }
            if (!ENV.containsKey(key)) {
                throw new IllegalArgumentException("unknown option " + key + "; " + USAGE);
            }
            given.put(key, value);
        }
        for (Map.Entry<String, String> e : ENV.entrySet()) {
            String v = env.get(e.getValue());
            if (!given.containsKey(e.getKey()) && v != null && !v.isBlank()) {
                given.put(e.getKey(), v.trim());
            }
        }
        String name = required(given, "--name");
        return new WaypointSettings(required(given, "--namespace"), name, required(given, "--control-plane"),
                Path.of(required(given, "--token-file")), Path.of(required(given, "--root-cert")),
                given.getOrDefault("--trust-domain", "cluster.local"), given.getOrDefault("--service-account", name));
    }

    /** Returns the SPIFFE id the waypoint presents: {@code spiffe://<td>/ns/<ns>/sa/<serviceAccount>}. */
    public String identity() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /** Returns the discovery node id: {@code waypoint~<ns>/<name>}. */
    public String nodeId() {
        return "waypoint~" + namespace + "/" + name;
    }

    private static String required(Map<String, String> given, String option) {
        String v = given.get(option);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + option + " (env " + ENV.get(option) + "); " + USAGE);
        }
        return v;
    }
}
