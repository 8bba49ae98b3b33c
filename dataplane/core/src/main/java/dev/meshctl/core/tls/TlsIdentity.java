package dev.meshctl.core.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Holds one workload's TLS material: its SPIFFE id, certificate chain (leaf first), private key and the
 * trust roots its peers must chain to.
 */
public record TlsIdentity(String spiffeId, List<X509Certificate> chain, PrivateKey key,
                          List<X509Certificate> trustRoots) {

    /** Checks that every part is present; the chain and the roots must not be empty. */
    public TlsIdentity {
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        trustRoots = List.copyOf(Objects.requireNonNull(trustRoots, "trustRoots"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain of " + spiffeId + " is empty; it needs at least the leaf");
        }
        if (trustRoots.isEmpty()) {
            throw new IllegalArgumentException("trust roots of " + spiffeId + " are empty; peers could never be verified");
        }
    }

    /** Returns the leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        // Never print the key.
        return "TlsIdentity[" + spiffeId + ", notAfter=" + leaf().getNotAfter() + "]";
    }
}
