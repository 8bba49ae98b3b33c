package dev.meshctl.install;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Describes one waypoint as {@code meshctl waypoint} asks for it.
 *
 * @param namespace the namespace of the Gateway and its pods
 * @param name the Gateway's name (also its Deployment and service account)
 * @param waypointFor which traffic it takes: service, workload, all or none ({@code istio.io/waypoint-for})
 * @param serviceAccount for a per-service-account waypoint, the service account it serves
 */
public record WaypointsSpec(String namespace, String name, String waypointFor, Optional<String> serviceAccount) {

    /** The default waypoint name, as istioctl uses. */
    public static final String DEFAULT_NAME = "waypoint";
    private static final Set<String> FOR = Set.of("service", "workload", "all", "none");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** Checks the fields; names must be DNS labels. */
    public WaypointsSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(waypointFor, "waypointFor");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        waypointFor = waypointFor.toLowerCase(Locale.ROOT);
        if (!FOR.contains(waypointFor)) {
            throw new IllegalArgumentException("--for " + waypointFor + " is not one of service, workload, all, none");
        }
        requireLabel(namespace, "namespace");
        requireLabel(name, "waypoint name");
        serviceAccount.ifPresent(sa -> requireLabel(sa, "service account"));
    }

    /**
     * Builds a spec; without {@code name} a per-service-account waypoint is named {@code waypoint-<sa>}, any other
     * {@code waypoint}.
     */
    public static WaypointsSpec of(String namespace, Optional<String> name, String waypointFor,
                                   Optional<String> serviceAccount) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        String resolved = name.orElseGet(() -> serviceAccount.map(sa -> DEFAULT_NAME + "-" + sa).orElse(DEFAULT_NAME));
        return new WaypointsSpec(namespace, resolved, waypointFor, serviceAccount);
    }

    /** Returns the bootstrap token name the control plane expects: {@code waypoint/<ns>/<name>}. */
    public String tokenName() {
        return "waypoint/" + namespace + "/" + name;
    }

    /** Returns {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }

    private static void requireLabel(String value, String what) {
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " \"" + value + "\" is not a DNS label (lower-case letters,"
                    + " digits and '-', at most 63 characters)");
        }
    }
}
