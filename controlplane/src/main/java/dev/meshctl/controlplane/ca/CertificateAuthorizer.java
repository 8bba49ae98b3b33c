package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.SpiffeId;
import java.util.Objects;

/**
 * Decides whether an authenticated caller may obtain a certificate for an identity: a node agent
 * only for pods scheduled on its own node, a waypoint's token only for the waypoint's own identity, a caller with
 * a proven identity only for that identity.
 * Pure: the workload directory is the only input besides the request.
 */
public final class CertificateAuthorizer {

    private static final String WAYPOINT_PREFIX = "waypoint/";

    private final String trustDomain;

    /** Creates an authorizer for identities of {@code trustDomain}. */
    public CertificateAuthorizer(String trustDomain) {
        this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    }

    /** Decides whether {@code caller} may obtain {@code requested}. */
    public Decision decide(Caller caller, SpiffeId requested, WorkloadDirectory directory) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(directory, "directory");
        if (!requested.trustDomain().equals(trustDomain)) {
            return Decision.deny("identity " + requested + " is not in trust domain '" + trustDomain
                    + "'; request an identity under spiffe://" + trustDomain + "/");
        }
        if (caller instanceof Caller.Node n && n.name().startsWith(WAYPOINT_PREFIX)) {
            return waypoint(n.name().substring(WAYPOINT_PREFIX.length()), requested);
        }
        if (caller instanceof Caller.Node) {
            String node = ((Caller.Node) caller).name();
            if (directory.runsOnNode(node, requested.namespace(), requested.serviceAccount())) {
                return Decision.allow("a pod running as " + requested.principal() + " is scheduled on node " + node);
            }
            return Decision.deny("node " + node + " runs no pod of namespace " + requested.namespace()
                    + " with service account " + requested.serviceAccount()
                    + "; a node agent may only obtain identities of pods scheduled on its own node");
        }
        SpiffeId own = ((Caller.Workload) caller).id();
        if (own.equals(requested)) {
            return Decision.allow("the caller renews its own identity " + own);
        }
        return Decision.deny("caller " + own + " may only obtain its own identity, not " + requested);
    }

    /**
     * A waypoint's token ({@code waypoint/<ns>/<name>}) obtains only the identity named after it: the service
     * account {@code meshctl waypoint apply} runs its pods as.
     */
    private static Decision waypoint(String nsName, SpiffeId requested) {
        int slash = nsName.indexOf('/');
        if (slash <= 0 || slash == nsName.length() - 1) {
            return Decision.deny("token name waypoint/" + nsName + " is not waypoint/<namespace>/<name>;"
                    + " reissue it with `meshctl waypoint apply`");
        }
        String ns = nsName.substring(0, slash);
        String name = nsName.substring(slash + 1);
        if (requested.namespace().equals(ns) && requested.serviceAccount().equals(name)) {
            return Decision.allow("waypoint " + nsName + " obtains its own identity " + requested.principal());
        }
        return Decision.deny("waypoint " + nsName + " may only obtain spiffe://<td>/ns/" + ns + "/sa/" + name
                + ", not " + requested);
    }

    /**
     * The outcome and why.
     *
     * @param allowed whether the certificate may be issued
     * @param reason an operator-facing explanation
     */
    public record Decision(boolean allowed, String reason) {

        /** Checks the reason. */
        public Decision {
            Objects.requireNonNull(reason, "reason");
        }

        static Decision allow(String reason) {
            return new Decision(true, reason);
        }

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }
}
