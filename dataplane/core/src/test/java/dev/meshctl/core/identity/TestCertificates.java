package dev.meshctl.core.identity;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds CA and leaf certificates with any property a test wants to break. */
final class TestCertificates {

    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(1);

    private TestCertificates() {
    }

    /** A certificate and its key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    static Issued root(String name) {
        KeyPair keys = KeyPairs.ecP256();
        X500Name subject = new X500Name("CN=" + name);
        return new Issued(build(subject, subject, keys, keys.getPrivate(), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(365)), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }), keys.getPrivate());
    }

    static Issued intermediate(Issued issuer, String name) {
        KeyPair keys = KeyPairs.ecP256();
        return new Issued(build(X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + name), keys, issuer.key(), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(100)), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }), keys.getPrivate());
    }

    static LeafBuilder leaf(Issued issuer) {
        return new LeafBuilder(issuer);
    }

    /** A leaf with sensible SVID defaults; each setter breaks one rule. */
    static final class LeafBuilder {
        private final Issued issuer;
        private final List<String> uris = new ArrayList<>(List.of("spiffe://cluster.local/ns/default/sa/curl"));
        private boolean ca;
        private int keyUsage = KeyUsage.digitalSignature;
        private KeyPurposeId[] eku = {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
        private Instant notBefore = NOW.minus(Duration.ofHours(1));
        private Instant notAfter = NOW.plus(Duration.ofHours(23));

        private LeafBuilder(Issued issuer) {
            this.issuer = issuer;
        }

        LeafBuilder uris(String... values) {
            uris.clear();
            uris.addAll(List.of(values));
            return this;
        }

        LeafBuilder ca() {
            ca = true;
            return this;
        }

        LeafBuilder keyUsage(int bits) {
            keyUsage = bits;
            return this;
        }

        LeafBuilder eku(KeyPurposeId... purposes) {
            eku = purposes;
            return this;
        }

        LeafBuilder validity(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        Issued build() {
            KeyPair keys = KeyPairs.ecP256();
            // A subject and a non-critical SAN, so even SANs the JDK cannot parse still yield a certificate object.
            X509Certificate certificate = TestCertificates.build(
                    X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=leaf"), keys, issuer.key(), notBefore, notAfter, b -> {
                        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                        if (keyUsage >= 0) {
                            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                        }
                        if (eku != null) {
                            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
                        }
                        if (!uris.isEmpty()) {
                            GeneralName[] names = uris.stream()
                                    .map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, new DERIA5String(u)))
                                    .toArray(GeneralName[]::new);
                            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                        }
                    });
            return new Issued(certificate, keys.getPrivate());
        }
    }

    interface Extensions {
        void add(X509v3CertificateBuilder builder) throws Exception;
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, KeyPair subjectKeys, PrivateKey signingKey,
                                         Instant notBefore, Instant notAfter, Extensions extensions) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKeys.getPublic());
            extensions.add(builder);
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
