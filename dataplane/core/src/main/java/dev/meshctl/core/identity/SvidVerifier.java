package dev.meshctl.core.identity;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Verifies a presented X.509-SVID chain against a trust bundle and returns its identity.
 *
 * <p>Checks, in order: the leaf's shape (exactly one URI SAN that parses as a SPIFFE ID; CA=false;
 * keyUsage digitalSignature without keyCertSign or cRLSign; EKU, if present, with both serverAuth and
 * clientAuth), the trust domain, the validity of every certificate at the clock's instant, and full
 * PKIX path validation to a root of the bundle. Revocation is not checked: the mesh relies on short
 * certificate lifetimes instead.
 */
public final class SvidVerifier {

    private static final String SAN_OID = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private final TrustBundle bundle;
    private final Clock clock;
    private final Set<TrustAnchor> anchors;

    /** Creates a verifier for identities of {@code bundle}'s trust domain, checking validity at {@code clock}'s time. */
    public SvidVerifier(TrustBundle bundle, Clock clock) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.clock = Objects.requireNonNull(clock, "clock");
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate root : bundle.roots()) {
            set.add(new TrustAnchor(root, null));
        }
        this.anchors = Set.copyOf(set);
    }

    /** Returns the bundle this verifier trusts. */
    public TrustBundle bundle() {
        return bundle;
    }

    /**
     * Verifies {@code chain} (leaf first; a trailing root of the bundle is allowed) and returns the leaf's identity.
     *
     * @throws IdentityException saying exactly which rule the chain breaks
     */
    public SpiffeId verify(List<X509Certificate> chain) {
        Objects.requireNonNull(chain, "chain");
        if (chain.isEmpty()) {
            throw new IdentityException("no certificate was presented; the peer must present an X.509-SVID");
        }
        X509Certificate leaf = chain.get(0);
        SpiffeId id = identityOf(leaf);
        checkLeafShape(leaf, id);
        if (!id.trustDomain().equals(bundle.trustDomain())) {
            throw new IdentityException("certificate for " + id + " is from trust domain '" + id.trustDomain()
                    + "' but only '" + bundle.trustDomain() + "' is trusted");
        }
        checkValidity(chain, id);
        validatePath(chain, id);
        return id;
    }

    /**
     * Returns the SPIFFE ID in {@code leaf}'s single URI SAN, without checking anything else.
     *
     * @throws IdentityException if there is not exactly one URI SAN or it is not a valid SPIFFE ID
     */
    public static SpiffeId identityOf(X509Certificate leaf) {
        Objects.requireNonNull(leaf, "leaf");
        List<String> uris = uriSans(leaf);
        if (uris.isEmpty()) {
            throw new IdentityException("certificate " + describe(leaf) + " has no URI SAN; an X.509-SVID has exactly one");
        }
        if (uris.size() > 1) {
            throw new IdentityException("certificate " + describe(leaf) + " has " + uris.size()
                    + " URI SANs; an X.509-SVID has exactly one");
        }
        return SpiffeId.parse(uris.get(0));
    }

    /** Reads the URI SANs from the raw extension, so names the JDK refuses to parse are still seen and judged. */
    private static List<String> uriSans(X509Certificate leaf) {
        byte[] raw = leaf.getExtensionValue(SAN_OID);
        if (raw == null) {
            return List.of();
        }
        List<String> uris = new ArrayList<>();
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(raw).getOctets());
            for (GeneralName name : GeneralNames.getInstance(inner).getNames()) {
                if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    uris.add(ASN1IA5String.getInstance(name.getName()).getString());
                }
            }
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IdentityException("certificate " + describe(leaf) + " has a malformed subjectAltName extension", e);
        }
        return uris;
    }

    private static void checkLeafShape(X509Certificate leaf, SpiffeId id) {
        if (leaf.getBasicConstraints() >= 0) {
            throw new IdentityException("certificate for " + id + " is a CA certificate (basicConstraints CA=true);"
                    + " a workload certificate must have CA=false");
        }
        boolean[] usage = leaf.getKeyUsage();
        if (usage == null) {
            throw new IdentityException("certificate for " + id + " has no keyUsage extension;"
                    + " a workload certificate needs digitalSignature");
        }
        if (!bit(usage, DIGITAL_SIGNATURE)) {
            throw new IdentityException("certificate for " + id + " lacks keyUsage digitalSignature");
        }
        if (bit(usage, KEY_CERT_SIGN) || bit(usage, CRL_SIGN)) {
            throw new IdentityException("certificate for " + id + " has keyUsage keyCertSign or cRLSign;"
                    + " a workload certificate must not be able to sign certificates or CRLs");
        }
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new IdentityException("certificate for " + id + " has a malformed extendedKeyUsage extension", e);
        }
        if (eku != null && !(eku.contains(SERVER_AUTH) && eku.contains(CLIENT_AUTH))) {
            throw new IdentityException("certificate for " + id + " has extendedKeyUsage " + eku
                    + " without both serverAuth and clientAuth; mesh certificates are used on both sides of mTLS");
        }
    }

    private void checkValidity(List<X509Certificate> chain, SpiffeId id) {
        Date now = Date.from(clock.instant());
        for (X509Certificate certificate : chain) {
            String which = certificate == chain.get(0) ? "certificate for " + id : "chain certificate " + describe(certificate);
            try {
                certificate.checkValidity(now);
            } catch (CertificateExpiredException e) {
                throw new IdentityException(which + " expired at " + certificate.getNotAfter().toInstant()
                        + " (now " + now.toInstant() + "); it should have been renewed");
            } catch (CertificateNotYetValidException e) {
                throw new IdentityException(which + " is not valid before " + certificate.getNotBefore().toInstant()
                        + " (now " + now.toInstant() + "); check the clocks of both hosts");
            }
        }
    }

    private void validatePath(List<X509Certificate> chain, SpiffeId id) {
        List<X509Certificate> path = new ArrayList<>(chain);
        // A peer may append the root; PKIX wants the path without its anchor.
        while (path.size() > 1 && bundle.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw new IdentityException("certificate for " + id + " does not chain to a trusted root of trust domain '"
                    + bundle.trustDomain() + "': " + e.getMessage()
                    + "; the peer's CA is not in this trust bundle or the chain is incomplete", e);
        } catch (GeneralSecurityException e) {
            throw new IdentityException("certificate for " + id + " could not be validated: " + e.getMessage(), e);
        }
    }

    private static boolean bit(boolean[] bits, int index) {
        return index < bits.length && bits[index];
    }

    private static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "' (serial "
                + certificate.getSerialNumber().toString(16) + ")";
    }
}
