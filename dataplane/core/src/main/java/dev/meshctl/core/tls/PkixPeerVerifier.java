package dev.meshctl.core.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a peer by PKIX path validation against a fixed set of roots and reads its single SPIFFE URI SAN.
 *
 * <p>A baseline for when no stricter SVID verifier is plugged in: it does not check the trust domain or the
 * finer X.509-SVID rules (key usage, SAN syntax).
 */
public final class PkixPeerVerifier implements PeerVerifier {

    private static final int SAN_URI = 6;

    private final Set<TrustAnchor> anchors;

    private PkixPeerVerifier(Set<TrustAnchor> anchors) {
        this.anchors = anchors;
    }

    /** Returns a verifier trusting exactly {@code roots}. */
    public static PkixPeerVerifier trusting(Collection<X509Certificate> roots) {
        Objects.requireNonNull(roots, "roots");
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no trust roots given; every peer would be refused");
        }
        return new PkixPeerVerifier(roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public String verify(List<X509Certificate> chain) throws CertificateException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateException("peer sent no certificate; mesh connections need a workload certificate");
        }
        // The path excludes a root the peer may have appended: the anchor stands for it.
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && isAnchor(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("peer certificate " + chain.get(0).getSubjectX500Principal()
                    + " does not chain to a trusted mesh root: " + e.getMessage(), e);
        }
        return spiffeId(chain.get(0));
    }

    /** Returns the single {@code spiffe://} URI SAN of {@code leaf}. */
    static String spiffeId(X509Certificate leaf) throws CertificateException {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("cannot read the SANs of " + leaf.getSubjectX500Principal(), e);
        }
        List<String> uris = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(SAN_URI).equals(san.get(0))) {
                    uris.add(String.valueOf(san.get(1)));
                }
            }
        }
        if (uris.size() != 1 || !uris.get(0).startsWith("spiffe://")) {
            throw new CertificateException("peer certificate must carry exactly one spiffe:// URI SAN, found " + uris);
        }
        return uris.get(0);
    }

    private boolean isAnchor(X509Certificate cert) {
        return anchors.stream().anyMatch(a -> a.getTrustedCert().equals(cert));
    }
}
