package dev.meshctl.core.peer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads what both proxies need to name a peer: the members of a W3C {@code baggage} header (by which HBONE peers
 * name their workload, as ztunnel does) and the app and version a workload's labels give.
 */
public final class PeerNames {

    /** The baggage member naming the peer's namespace. */
    public static final String NAMESPACE = "k8s.namespace.name";
    /** The baggage member naming the peer's cluster. */
    public static final String CLUSTER = "k8s.cluster.name";
    /** The baggage member naming the peer's workload (every owner kind is sent so; ztunnel varies it by kind). */
    public static final String WORKLOAD = "k8s.deployment.name";

    private PeerNames() {
    }

    /** Returns the members of a {@code baggage} value ({@code k=v,k=v;props}), the first of a key winning. */
    public static Map<String, String> parseBaggage(String header) {
        Objects.requireNonNull(header, "header");
        Map<String, String> out = new LinkedHashMap<>();
        for (String member : header.split(",")) {
            String kv = member.split(";", 2)[0].trim();
            int eq = kv.indexOf('=');
            if (eq > 0) {
                String value = kv.substring(eq + 1).trim();
                if (!value.isEmpty()) {
                    out.putIfAbsent(kv.substring(0, eq).trim(), value);
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Returns the app a workload's labels name ({@code app}, else {@code app.kubernetes.io/name}), or null. */
    public static String app(Map<String, String> labels) {
        return first(labels, "app", "app.kubernetes.io/name");
    }

    /** Returns the version a workload's labels name ({@code version}, else {@code app.kubernetes.io/version}), or null. */
    public static String version(Map<String, String> labels) {
        return first(labels, "version", "app.kubernetes.io/version");
    }

    private static String first(Map<String, String> labels, String... keys) {
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
