package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.SpiffeId;
import java.util.Objects;

/** Who is asking the CA for a certificate, as established by authentication. */
public sealed interface Caller permits Caller.Node, Caller.Workload {

    /** Returns a node agent caller, authenticated by its bootstrap token. */
    static Caller node(String name) {
        return new Node(name);
    }

    /** Returns a caller that proved an identity, such as a waypoint renewing with its current certificate. */
    static Caller workload(SpiffeId id) {
        return new Workload(id);
    }

    /**
     * A node agent; it may obtain identities of pods scheduled on its node.
     *
     * @param name the node's name
     */
    record Node(String name) implements Caller {
        /** Checks the name. */
        public Node {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a node caller needs a name");
            }
        }
    }

    /**
     * A workload or mesh component with a proven identity; it may obtain only that identity.
     *
     * @param id the proven identity
     */
    record Workload(SpiffeId id) implements Caller {
        /** Checks the identity. */
        public Workload {
            Objects.requireNonNull(id, "id");
        }
    }
}
