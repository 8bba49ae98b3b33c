package dev.meshctl.core.identity;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The root certificates that a trust domain's identities chain to.
 *
 * @param trustDomain the trust domain, e.g. {@code cluster.local}
 * @param roots the trusted root (or pinned intermediate) certificates, at least one
 */
public record TrustBundle(String trustDomain, List<X509Certificate> roots) {

    /** Checks the trust domain and copies the roots. */
    public TrustBundle {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(roots, "roots");
        SpiffeId.checkTrustDomain(trustDomain);
        roots = List.copyOf(roots);
        if (roots.isEmpty()) {
            throw new IdentityException("the trust bundle for " + trustDomain + " has no root certificate");
        }
    }

    /** Returns a bundle of {@code roots} for {@code trustDomain}. */
    public static TrustBundle of(String trustDomain, X509Certificate... roots) {
        return new TrustBundle(trustDomain, List.of(roots));
    }

    /** Returns whether {@code certificate} is one of the roots. */
    public boolean contains(X509Certificate certificate) {
        return roots.contains(certificate);
    }
}
