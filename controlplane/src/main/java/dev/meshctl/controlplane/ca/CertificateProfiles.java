package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.KeyPairs;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds the two kinds of certificate the CA issues: its own self-signed root and workload leaves. */
final class CertificateProfiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JcaX509ExtensionUtils EXTENSIONS = extensionUtils();

    private CertificateProfiles() {
    }

    /** Builds a self-signed root: CA=true with no path length limit, keyCertSign and cRLSign. */
    static X509Certificate root(X500Name subject, PublicKey publicKey, PrivateKey privateKey,
                                Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(publicKey));
            return sign(builder, privateKey);
        } catch (CertIOException e) {
            throw new IllegalStateException("BUG: cannot add root CA extensions", e);
        }
    }

    /**
     * Builds a workload leaf: empty subject with a critical SAN (SPIFFE style), CA=false, digitalSignature
     * (plus keyEncipherment for RSA keys), EKU serverAuth and clientAuth, SKI and AKI.
     */
    static X509Certificate leaf(X509Certificate issuer, PrivateKey issuerKey, PublicKey subjectKey,
                                GeneralNames subjectAltNames, Instant notBefore, Instant notAfter) {
        try {
            int usage = KeyUsage.digitalSignature;
            if ("RSA".equals(subjectKey.getAlgorithm())) {
                usage |= KeyUsage.keyEncipherment;
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name(new RDN[0]),
                    subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuer))
                    .addExtension(Extension.subjectAlternativeName, true, subjectAltNames);
            return sign(builder, issuerKey);
        } catch (CertIOException e) {
            throw new IllegalStateException("BUG: cannot add workload certificate extensions", e);
        }
    }

    /** Uses the issuer's own SKI so AKI matches it even when the issuer computed it differently. */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer) {
        byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] keyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier();
            return new AuthorityKeyIdentifier(keyId);
        }
        return EXTENSIONS.createAuthorityKeyIdentifier(issuer.getPublicKey());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(key)).build(key)));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot sign a certificate with the CA key: " + e.getMessage(), e);
        }
    }

    /** Returns a random positive serial of up to 128 bits. */
    private static BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("BUG: SHA-1 is needed for key identifiers", e);
        }
    }
}
