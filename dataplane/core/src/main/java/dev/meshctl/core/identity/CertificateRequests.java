package dev.meshctl.core.identity;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds and checks PKCS#10 certificate signing requests for workload identities. */
public final class CertificateRequests {

    private CertificateRequests() {
    }

    /**
     * Creates a CSR signed by {@code keyPair} for {@code identity}.
     *
     * <p>The URI SAN in the CSR is only a hint: the CA takes the identity from the authorized
     * request, never from the CSR.
     */
    public static PKCS10CertificationRequest create(KeyPair keyPair, SpiffeId identity) {
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(identity, "identity");
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())));
            ContentSigner signer = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(keyPair.getPrivate()))
                    .build(keyPair.getPrivate());
            return new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]),
                    keyPair.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(signer);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new IdentityException("cannot build a CSR for " + identity + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the CSR's public key after checking that the CSR is signed by it.
     *
     * @throws IdentityException if the key cannot be read or the signature does not verify
     */
    public static PublicKey verifiedPublicKey(PKCS10CertificationRequest csr) {
        Objects.requireNonNull(csr, "csr");
        PublicKey key;
        try {
            key = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
        } catch (java.io.IOException | RuntimeException e) {
            throw new IdentityException("the CSR's public key cannot be read: " + e.getMessage(), e);
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new IdentityException("the CSR's signature cannot be checked: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new IdentityException("the CSR's signature does not verify with its own public key;"
                    + " sign the CSR with the private key whose public key it carries");
        }
        return key;
    }
}
