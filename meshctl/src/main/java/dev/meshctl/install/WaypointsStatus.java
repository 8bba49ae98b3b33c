package dev.meshctl.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads the control plane's {@code /debug/waypoints}: which services and workloads are bound where, and why. */
public final class WaypointsStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WaypointsStatus() {
    }

    /**
     * One binding as the control plane sees it.
     *
     * @param subject SERVICE or WORKLOAD
     * @param namespace the bound object's namespace
     * @param name the bound object's name
     * @param waypoint the waypoint's {@code namespace/name}
     * @param ready whether traffic goes through the waypoint now
     * @param reason why, for an operator
     */
    public record Binding(String subject, String namespace, String name, String waypoint, boolean ready,
                          String reason) {
        /** Checks the fields. */
        public Binding {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(waypoint, "waypoint");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Parses the endpoint's JSON, keeping the bindings to waypoints of {@code namespace} (all when null) named
     * {@code name} (any when null).
     *
     * @throws IllegalArgumentException if the text is not the endpoint's JSON
     */
    public static List<Binding> parse(String json, String namespace, String name) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable /debug/waypoints answer: " + e.getMessage(), e);
        }
        if (root == null || !root.path("bindings").isArray()) {
            throw new IllegalArgumentException("the /debug/waypoints answer has no bindings list; is the control"
                    + " plane of this version? re-run `meshctl install`");
        }
        List<Binding> out = new ArrayList<>();
        for (JsonNode b : root.path("bindings")) {
            String wns = b.path("waypointNamespace").asText();
            String wname = b.path("waypointName").asText();
            if ((namespace == null || namespace.equals(wns)) && (name == null || name.equals(wname))) {
                out.add(new Binding(b.path("subject").asText(), b.path("namespace").asText(),
                        b.path("name").asText(), wns + "/" + wname, b.path("ready").asBoolean(),
                        b.path("reason").asText()));
            }
        }
        return out;
    }
}
