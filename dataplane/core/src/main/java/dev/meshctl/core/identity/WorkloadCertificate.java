package dev.meshctl.core.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A workload's X.509-SVID and its private key.
 *
 * @param id the identity in the leaf's URI SAN
 * @param chain the leaf first, then intermediates; the root is not included
 * @param key the leaf's private key; it never leaves the process that generated it
 * @param notBefore the leaf's start of validity
 * @param notAfter the leaf's end of validity
 */
public record WorkloadCertificate(SpiffeId id, List<X509Certificate> chain, PrivateKey key,
                                  Instant notBefore, Instant notAfter) {

    /** Checks the fields and copies the chain. */
    public WorkloadCertificate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a workload certificate chain needs at least the leaf");
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
    }

    /** Returns the certificate for {@code chain} (leaf first), taking the validity from the leaf. */
    public static WorkloadCertificate of(SpiffeId id, List<X509Certificate> chain, PrivateKey key) {
        Objects.requireNonNull(chain, "chain");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a workload certificate chain needs at least the leaf");
        }
        X509Certificate leaf = chain.get(0);
        return new WorkloadCertificate(id, chain, key,
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    }

    /** Returns the leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Returns when to renew: half-way through the lifetime. */
    public Instant renewAt() {
        return notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
    }

    /** Returns whether the certificate is valid at {@code now}. */
    public boolean isValidAt(Instant now) {
        Objects.requireNonNull(now, "now");
        return !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }

    /** Describes the certificate without the private key. */
    @Override
    public String toString() {
        return "WorkloadCertificate[id=" + id + ", serial=" + leaf().getSerialNumber().toString(16)
                + ", chainLength=" + chain.size() + ", notBefore=" + notBefore + ", notAfter=" + notAfter + "]";
    }
}
