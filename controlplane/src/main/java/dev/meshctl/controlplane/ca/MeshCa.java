package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.CertificateRequests;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.WorkloadCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.IPAddress;

/**
 * The mesh certificate authority: a self-signed root it generated, or a plug-in root or intermediate.
 *
 * <p>Signs CSRs for SPIFFE identities. The URI SAN always comes from the identity the caller was
 * authorized for; the CSR contributes only its (signature-checked) public key.
 *
 * <pre>{@code
 * MeshCa ca = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
 * List<X509Certificate> chain = ca.sign(csr, SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl"), MeshCa.DEFAULT_TTL);
 * }</pre>
 */
public final class MeshCa {

    /** The lifetime of a workload certificate when the caller does not ask for one. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** The longest workload certificate issued unless configured otherwise (Istio's default cap). */
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);
    /** How far notBefore is backdated so peers with slightly slow clocks accept new certificates. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
    private static final int MIN_RSA_BITS = 2048;

    private final String trustDomain;
    private final X509Certificate signer;
    private final PrivateKey signerKey;
    /** The certificates above the signer, its issuer first and the root last; empty if the signer is the root. */
    private final List<X509Certificate> above;
    private final Clock clock;
    private final Duration maxTtl;

    private MeshCa(String trustDomain, X509Certificate signer, PrivateKey signerKey, List<X509Certificate> above,
                   Clock clock, Duration maxTtl) {
        this.trustDomain = trustDomain;
        this.signer = signer;
        this.signerKey = signerKey;
        this.above = List.copyOf(above);
        this.clock = clock;
        this.maxTtl = maxTtl;
    }

    /** Generates a self-signed ECDSA P-256 root valid for 10 years, subject {@code O=<trustDomain>, CN=meshctl root CA}. */
    public static MeshCa generateRoot(String trustDomain, Clock clock) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(clock, "clock");
        SpiffeId.checkTrustDomain(trustDomain);
        KeyPair keyPair = KeyPairs.ecP256();
        Instant now = clock.instant();
        X509Certificate root = CertificateProfiles.root(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, trustDomain).addRDN(BCStyle.CN, "meshctl root CA").build(),
                keyPair.getPublic(), keyPair.getPrivate(), now.minus(CLOCK_SKEW), now.plus(ROOT_LIFETIME));
        return new MeshCa(trustDomain, root, keyPair.getPrivate(), List.of(), clock, DEFAULT_MAX_TTL);
    }

    /**
     * Loads a plug-in CA: a root, or an intermediate together with the chain above it.
     *
     * @param certPem the signing CA certificate (extra certificates after it are taken as its chain)
     * @param keyPem the signing CA's private key (PKCS#8, or openssl's traditional EC/RSA form)
     * @param chainPem the certificates above the signing CA up to and including the root; required for an intermediate.
     *                 A leading copy of the signing certificate (as in Istio's cert-chain.pem) is skipped.
     * @throws IdentityException if the key does not match, a certificate is not a CA, or the chain does not link up
     */
    public static MeshCa load(Path certPem, Path keyPem, Optional<Path> chainPem, String trustDomain, Clock clock) {
        Objects.requireNonNull(certPem, "certPem");
        Objects.requireNonNull(keyPem, "keyPem");
        Objects.requireNonNull(chainPem, "chainPem");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(clock, "clock");
        SpiffeId.checkTrustDomain(trustDomain);
        List<X509Certificate> certs = Pem.decodeCertificates(Pem.read(certPem));
        X509Certificate signer = certs.get(0);
        PrivateKey key = Pem.decodePrivateKey(Pem.read(keyPem));
        if (!KeyPairs.matches(signer.getPublicKey(), key)) {
            throw new IdentityException("the private key in " + keyPem + " does not belong to the certificate in "
                    + certPem + "; pass the key that was generated with this CA certificate");
        }
        List<X509Certificate> above = new ArrayList<>(certs.subList(1, certs.size()));
        if (chainPem.isPresent()) {
            above.addAll(Pem.decodeCertificates(Pem.read(chainPem.get())));
        }
        while (!above.isEmpty() && above.get(0).equals(signer)) {
            above.remove(0);
        }
        checkCaChain(signer, above, certPem, clock.instant());
        return new MeshCa(trustDomain, signer, key, above, clock, DEFAULT_MAX_TTL);
    }

    private static void checkCaChain(X509Certificate signer, List<X509Certificate> above, Path certPem, Instant now) {
        List<X509Certificate> all = new ArrayList<>();
        all.add(signer);
        all.addAll(above);
        for (X509Certificate ca : all) {
            String name = ca.getSubjectX500Principal().getName();
            if (ca.getBasicConstraints() < 0) {
                throw new IdentityException("certificate '" + name + "' is not a CA (basicConstraints CA=false or absent);"
                        + " a plug-in CA needs a CA certificate");
            }
            boolean[] usage = ca.getKeyUsage();
            if (usage != null && (usage.length < 6 || !usage[5])) {
                throw new IdentityException("CA certificate '" + name + "' lacks keyUsage keyCertSign");
            }
            if (!ca.getNotAfter().toInstant().isAfter(now)) {
                throw new IdentityException("CA certificate '" + name + "' expired at " + ca.getNotAfter().toInstant()
                        + "; rotate the plug-in CA");
            }
        }
        for (int i = 0; i + 1 < all.size(); i++) {
            if (!signedBy(all.get(i), all.get(i + 1))) {
                throw new IdentityException("CA certificate '" + all.get(i).getSubjectX500Principal().getName()
                        + "' is not signed by the next certificate of the chain, '"
                        + all.get(i + 1).getSubjectX500Principal().getName() + "'; list the chain from the issuer up to the root");
            }
        }
        X509Certificate top = all.get(all.size() - 1);
        if (!signedBy(top, top)) {
            throw new IdentityException(above.isEmpty()
                    ? "CA certificate in " + certPem + " is not self-signed: an intermediate CA needs the chain up to its root;"
                    + " pass the chain file (ending with the root)"
                    : "the chain does not end with a self-signed root: append the root certificate to the chain file");
        }
    }

    private static boolean signedBy(X509Certificate child, X509Certificate parent) {
        if (!child.getIssuerX500Principal().equals(parent.getSubjectX500Principal())) {
            return false;
        }
        try {
            child.verify(parent.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Returns a copy of this CA that caps workload certificate lifetimes at {@code maxTtl}. */
    public MeshCa withMaxTtl(Duration maxTtl) {
        Objects.requireNonNull(maxTtl, "maxTtl");
        if (maxTtl.isNegative() || maxTtl.isZero()) {
            throw new IllegalArgumentException("maxTtl must be positive: " + maxTtl);
        }
        return new MeshCa(trustDomain, signer, signerKey, above, clock, maxTtl);
    }

    /**
     * Signs {@code csr} for {@code identity} and returns the chain: the leaf, then intermediates, without the root.
     *
     * @param ttl the requested lifetime; capped at the maximum and at the CA's own expiry
     * @throws IdentityException if the CSR's signature does not verify, its key type is not accepted,
     *                           the identity is of another trust domain, or the ttl is not positive
     */
    public List<X509Certificate> sign(PKCS10CertificationRequest csr, SpiffeId identity, Duration ttl) {
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(ttl, "ttl");
        PublicKey key = CertificateRequests.verifiedPublicKey(csr);
        checkKeyType(csr.getSubjectPublicKeyInfo());
        return issue(key, identity, new GeneralNames(uri(identity)), ttl);
    }

    /** Signs {@code csr} for {@code identity} with the default lifetime; see {@link #sign(PKCS10CertificationRequest, SpiffeId, Duration)}. */
    public List<X509Certificate> sign(PKCS10CertificationRequest csr, SpiffeId identity) {
        return sign(csr, identity, DEFAULT_TTL);
    }

    /**
     * Issues a certificate for the control plane's own TLS server, with the key generated here.
     *
     * @param dnsNames DNS SANs to add besides the identity's URI SAN
     * @param ips IP address SANs (literal IPv4 or IPv6)
     */
    public WorkloadCertificate issueServerCertificate(SpiffeId id, List<String> dnsNames, List<String> ips, Duration ttl) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dnsNames, "dnsNames");
        Objects.requireNonNull(ips, "ips");
        Objects.requireNonNull(ttl, "ttl");
        List<GeneralName> names = new ArrayList<>();
        names.add(uri(id));
        for (String dns : dnsNames) {
            if (dns.isBlank() || dns.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IdentityException("DNS name '" + dns + "' is empty or has spaces or non-ASCII characters");
            }
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : ips) {
            if (!IPAddress.isValid(ip)) {
                throw new IdentityException("'" + ip + "' is not a literal IPv4 or IPv6 address");
            }
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        KeyPair keyPair = KeyPairs.ecP256();
        List<X509Certificate> chain = issue(keyPair.getPublic(), id, new GeneralNames(names.toArray(new GeneralName[0])), ttl);
        return WorkloadCertificate.of(id, chain, keyPair.getPrivate());
    }

    private List<X509Certificate> issue(PublicKey key, SpiffeId identity, GeneralNames sans, Duration ttl) {
        if (!identity.trustDomain().equals(trustDomain)) {
            throw new IdentityException("identity " + identity + " is not in this CA's trust domain '" + trustDomain + "'");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IdentityException("the requested certificate lifetime must be positive, got " + ttl);
        }
        Instant now = clock.instant();
        Instant notAfter = now.plus(ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl);
        Instant caNotAfter = caNotAfter();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        if (!notAfter.isAfter(now)) {
            throw new IllegalStateException("the CA certificate expired at " + caNotAfter + "; rotate the CA");
        }
        X509Certificate leaf = CertificateProfiles.leaf(signer, signerKey, key, sans, now.minus(CLOCK_SKEW), notAfter);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(intermediates());
        return List.copyOf(chain);
    }

    private static void checkKeyType(SubjectPublicKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            Object curve = info.getAlgorithm().getParameters();
            if (!SECObjectIdentifiers.secp256r1.equals(curve)) {
                throw new IdentityException("the CSR's EC key is on curve " + curve + "; only P-256 (secp256r1) is accepted");
            }
            return;
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            int bits;
            try {
                bits = RSAPublicKey.getInstance(info.parsePublicKey()).getModulus().bitLength();
            } catch (IOException | IllegalArgumentException e) {
                throw new IdentityException("the CSR's RSA key cannot be read", e);
            }
            if (bits < MIN_RSA_BITS) {
                throw new IdentityException("the CSR's RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
            }
            return;
        }
        throw new IdentityException("the CSR's key algorithm " + algorithm + " is not accepted; use an EC P-256 key");
    }

    private Instant caNotAfter() {
        Instant earliest = signer.getNotAfter().toInstant();
        for (X509Certificate ca : above) {
            Instant notAfter = ca.getNotAfter().toInstant();
            if (notAfter.isBefore(earliest)) {
                earliest = notAfter;
            }
        }
        return earliest;
    }

    private static GeneralName uri(SpiffeId identity) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString());
    }

    /** Returns the certificates between issued leaves and the root: the signer if it is an intermediate, and those above it. */
    public List<X509Certificate> intermediates() {
        if (above.isEmpty()) {
            return List.of();
        }
        List<X509Certificate> list = new ArrayList<>();
        list.add(signer);
        list.addAll(above.subList(0, above.size() - 1));
        return List.copyOf(list);
    }

    /** Returns the root certificate that issued chains lead to. */
    public X509Certificate root() {
        return above.isEmpty() ? signer : above.get(above.size() - 1);
    }

    /** Returns the roots proxies should trust: for now, just {@link #root()}. */
    public List<X509Certificate> trustBundle() {
        return List.of(root());
    }

    /** Returns the trust domain this CA issues identities for. */
    public String trustDomain() {
        return trustDomain;
    }

    /** Returns the cap on workload certificate lifetimes. */
    public Duration maxTtl() {
        return maxTtl;
    }

    /** Returns whether this CA signs with its root (not a plug-in intermediate). */
    boolean isRoot() {
        return above.isEmpty();
    }

    Clock clock() {
        return clock;
    }

    X509Certificate signingCertificate() {
        return signer;
    }

    PrivateKey signingKey() {
        return signerKey;
    }

    @Override
    public String toString() {
        return "MeshCa[trustDomain=" + trustDomain + ", signer=" + signer.getSubjectX500Principal().getName()
                + ", intermediates=" + intermediates().size() + ", maxTtl=" + maxTtl + "]";
    }
}
