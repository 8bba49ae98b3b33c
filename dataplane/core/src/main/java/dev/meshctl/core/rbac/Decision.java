package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Authorization;
import java.util.Objects;

/**
 * Says whether a connection is allowed, which policy decided it (null when the default decided) and why, in words fit
 * for an access log and for {@code meshctl} output.
 */
public record Decision(boolean allowed, String policy, String reason) {

    /** Checks that the reason is present. */
    public Decision {
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns an allow by {@code policy}. */
    static Decision allowedBy(Authorization policy) {
        String name = Authorizer.nameOf(policy);
        return new Decision(true, name, "allowed by " + name);
    }

    /** Returns a deny by {@code policy}, with {@code detail} appended when not empty. */
    static Decision deniedBy(Authorization policy, String detail) {
        String name = Authorizer.nameOf(policy);
        return new Decision(false, name, "denied by " + name + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    /** Returns the decision taken when no policy decided. */
    static Decision byDefault(boolean allowed, String reason) {
        return new Decision(allowed, null, reason);
    }

    @Override
    public String toString() {
        return (allowed ? "ALLOW: " : "DENY: ") + reason;
    }
}
