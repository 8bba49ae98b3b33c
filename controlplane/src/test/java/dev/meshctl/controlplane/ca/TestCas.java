package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.Pem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes plug-in CA material the way an operator's own PKI would: an intermediate under a root, as PEM files. */
final class TestCas {

    private TestCas() {
    }

    /** Files of a plug-in intermediate CA. */
    record PlugIn(Path cert, Path key, Path chain, X509Certificate intermediate, X509Certificate root) {
    }

    /** Writes an intermediate CA signed by {@code root} into {@code dir}: ca-cert.pem, ca-key.pem, cert-chain.pem. */
    static PlugIn intermediate(MeshCa root, Path dir, Instant now, boolean isCa) throws Exception {
        KeyPair keys = KeyPairs.ecP256();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509Certificate rootCert = root.root();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(rootCert.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("O=cluster.local, CN=plug-in intermediate"), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa))
                .addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                        ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(rootCert));
        X509Certificate intermediate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(root.signingKey())));
        Path cert = Files.writeString(dir.resolve("ca-cert.pem"), Pem.encodeCertificate(intermediate));
        Path key = Files.writeString(dir.resolve("ca-key.pem"), Pem.encodePrivateKey(keys.getPrivate()));
        // Istio's cert-chain.pem starts with the CA certificate itself; load() must cope with that.
        Path chain = Files.writeString(dir.resolve("cert-chain.pem"),
                Pem.encodeCertificate(intermediate) + Pem.encodeCertificate(rootCert));
        return new PlugIn(cert, key, chain, intermediate, rootCert);
    }
}
