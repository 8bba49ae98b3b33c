package dev.meshctl.core.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;

/** Reads and writes PEM: X.509 certificates (single or chains), PKCS#8 private keys and PKCS#10 CSRs. */
public final class Pem {

    private Pem() {
    }

    /** Encodes certificates as concatenated {@code CERTIFICATE} blocks, in the given order. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        Objects.requireNonNull(certificates, "certificates");
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            out.append(encodeCertificate(certificate));
        }
        return out.toString();
    }

    /** Encodes one certificate as a {@code CERTIFICATE} block. */
    public static String encodeCertificate(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        try {
            return write(new PemObject("CERTIFICATE", certificate.getEncoded()));
        } catch (CertificateException e) {
            throw new IdentityException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * Decodes every {@code CERTIFICATE} block in {@code pem}, in order.
     *
     * @throws IdentityException if there is none or one does not parse
     */
    public static List<X509Certificate> decodeCertificates(String pem) {
        Objects.requireNonNull(pem, "pem");
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder)) {
                    throw new IdentityException("expected only CERTIFICATE blocks but found "
                            + object.getClass().getSimpleName());
                }
                certificates.add(toX509(((X509CertificateHolder) object).getEncoded()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IdentityException("malformed certificate PEM: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IdentityException("no CERTIFICATE block found in the PEM text");
        }
        return List.copyOf(certificates);
    }

    /** Decodes the first certificate in {@code pem}; see {@link #decodeCertificates(String)}. */
    public static X509Certificate decodeCertificate(String pem) {
        return decodeCertificates(pem).get(0);
    }

    /** Encodes a private key as a PKCS#8 {@code PRIVATE KEY} block. */
    public static String encodePrivateKey(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IdentityException("cannot encode a " + key.getFormat() + " private key as PKCS#8");
        }
        return write(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    /**
     * Decodes a private key from a PKCS#8 {@code PRIVATE KEY} block, or from the traditional
     * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY} blocks that openssl writes for plug-in CAs.
     */
    public static PrivateKey decodePrivateKey(String pem) {
        Objects.requireNonNull(pem, "pem");
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo) {
                return converter.getPrivateKey((PrivateKeyInfo) object);
            }
            if (object instanceof PEMKeyPair) {
                // The traditional form may omit the public point; only the private part is needed.
                return converter.getPrivateKey(((PEMKeyPair) object).getPrivateKeyInfo());
            }
            throw new IdentityException("no unencrypted private key found in the PEM text"
                    + (object == null ? "" : " (found " + object.getClass().getSimpleName() + ")")
                    + "; provide a PKCS#8 'PRIVATE KEY' block");
        } catch (IOException | IllegalArgumentException e) {
            throw new IdentityException("malformed private key PEM: " + e.getMessage(), e);
        }
    }

    /** Encodes a PKCS#10 CSR as a {@code CERTIFICATE REQUEST} block. */
    public static String encodeCsr(PKCS10CertificationRequest csr) {
        Objects.requireNonNull(csr, "csr");
        try {
            return write(new PemObject("CERTIFICATE REQUEST", csr.getEncoded()));
        } catch (IOException e) {
            throw new IdentityException("cannot encode CSR", e);
        }
    }

    /**
     * Decodes a PKCS#10 CSR from a {@code CERTIFICATE REQUEST} block.
     *
     * @throws IdentityException if the text holds no well-formed CSR
     */
    public static PKCS10CertificationRequest decodeCsr(String pem) {
        Objects.requireNonNull(pem, "pem");
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports some malformed ASN.1 as unchecked exceptions.
            throw new IdentityException("malformed CSR PEM: " + e.getMessage(), e);
        }
        if (!(object instanceof PKCS10CertificationRequest)) {
            throw new IdentityException("no CERTIFICATE REQUEST block found in the CSR text");
        }
        return (PKCS10CertificationRequest) object;
    }

    /** Reads a whole file as UTF-8 text, naming the file if it cannot be read. */
    public static String read(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a DER certificate with the JDK provider, so it is usable with JSSE and CertPathValidator. */
    static X509Certificate toX509(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IdentityException("malformed certificate: " + e.getMessage(), e);
        }
    }

    private static String write(PemObject object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException("BUG: writing PEM to memory failed", e);
        }
        return out.toString();
    }
}
