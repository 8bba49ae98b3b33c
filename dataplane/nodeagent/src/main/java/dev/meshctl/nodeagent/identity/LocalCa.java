package dev.meshctl.nodeagent.identity;

import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.SvidVerifier;
import dev.meshctl.core.identity.TrustBundle;
import dev.meshctl.core.identity.WorkloadCertificate;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs workload certificates in-process with a CA key read from a directory ({@code root-cert.pem},
 * {@code root-key.pem}, the layout the control plane's CA writes), so static mode runs without a control plane.
 * Workload keys are generated in memory and never written anywhere.
 */
public final class LocalCa implements CertificateIssuer {

  /** The root certificate's file name in a CA directory. */
  public static final String ROOT_CERT = "root-cert.pem";
  /** The root key's file name in a CA directory. */
  public static final String ROOT_KEY = "root-key.pem";
  /** How long issued certificates live by default, as the mesh CA's. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);

  /** Backdating tolerates clocks a little behind this host's. */
  private static final Duration BACKDATE = Duration.ofMinutes(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String trustDomain;
  private final X509Certificate root;
  private final PrivateKey rootKey;
  private final Duration validity;
  private final Clock clock;

  /** Creates a CA for {@code trustDomain} signing with {@code rootKey} as {@code root}. */
  public LocalCa(String trustDomain, X509Certificate root, PrivateKey rootKey, Duration validity, Clock clock) {
    this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    this.root = Objects.requireNonNull(root, "root");
    this.rootKey = Objects.requireNonNull(rootKey, "rootKey");
    this.validity = Objects.requireNonNull(validity, "validity");
    this.clock = Objects.requireNonNull(clock, "clock");
    SpiffeId.checkTrustDomain(trustDomain);
    if (root.getBasicConstraints() < 0) {
      throw new IdentityException("the CA certificate '" + root.getSubjectX500Principal().getName()
          + "' is not a CA (basicConstraints CA=false); give the mesh root or an intermediate");
    }
    if (!KeyPairs.matches(root.getPublicKey(), rootKey)) {
      throw new IdentityException("the CA key does not belong to the CA certificate '"
          + root.getSubjectX500Principal().getName() + "'; give the key that was generated with it");
    }
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
  }

  /**
   * Loads {@value #ROOT_CERT} and {@value #ROOT_KEY} from {@code dir}.
   *
   * @throws IdentityException naming the missing or unreadable file
   */
  public static LocalCa load(Path dir, String trustDomain, Clock clock) {
    Objects.requireNonNull(dir, "dir");
    Path certFile = dir.resolve(ROOT_CERT);
    Path keyFile = dir.resolve(ROOT_KEY);
    for (Path file : List.of(certFile, keyFile)) {
      if (!Files.isReadable(file)) {
        throw new IdentityException("cannot read " + file + "; a CA directory holds " + ROOT_CERT + " and "
            + ROOT_KEY + " (copy them from the control plane's state directory ca/)");
      }
    }
    X509Certificate cert;
    PrivateKey key;
    try {
      cert = Pem.decodeCertificate(Pem.read(certFile));
      key = Pem.decodePrivateKey(Pem.read(keyFile));
    } catch (IdentityException e) {
      throw new IdentityException("the CA in " + dir + " cannot be loaded: " + e.getMessage(), e);
    }
    return new LocalCa(trustDomain, cert, key, DEFAULT_VALIDITY, clock);
  }

  /** Creates a CA with a fresh self-signed root held only in memory (development and tests). */
  public static LocalCa selfSigned(String trustDomain, Duration validity, Clock clock) {
    KeyPair pair = KeyPairs.ecP256();
    X500Name subject = new X500Name("O=meshctl,CN=meshctl local root " + trustDomain);
    Instant now = clock.instant();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new LocalCa(trustDomain, sign(builder, pair.getPrivate()), pair.getPrivate(), validity, clock);
    } catch (CertIOException e) {
      throw new IllegalStateException("BUG: cannot add root CA extensions", e);
    }
  }

  /**
   * Writes this CA's certificate and key to {@code dir} in the layout {@link #load} reads, the key readable by the
   * owner only; for setting up static mode (a development CA), never for workload keys.
   */
  public void writeTo(Path dir) throws java.io.IOException {
    Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    Path key = dir.resolve(ROOT_KEY);
    Files.deleteIfExists(key);
    try {
      Files.createFile(key, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(key);
    }
    Files.writeString(key, Pem.encodePrivateKey(rootKey));
    Files.writeString(dir.resolve(ROOT_CERT), Pem.encodeCertificate(root));
  }

  /** Returns the CA certificate that issued certificates chain to. */
  public X509Certificate root() {
    return root;
  }

  /** Returns the bundle peers are verified against. */
  public TrustBundle bundle() {
    return TrustBundle.of(trustDomain, root);
  }

  /** Signs a leaf for {@code id} over {@code subjectKey}, valid for {@code lifetime} from now (backdated a minute). */
  public X509Certificate sign(SpiffeId id, PublicKey subjectKey, Duration lifetime) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subjectKey, "subjectKey");
    Objects.requireNonNull(lifetime, "lifetime");
    Instant now = clock.instant();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(root.getSubjectX500Principal().getEncoded()), serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)), new X500Name(new RDN[0]), subjectKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, true,
              new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString())));
      return sign(builder, rootKey);
    } catch (CertIOException e) {
      throw new IllegalStateException("BUG: cannot add workload certificate extensions", e);
    }
  }

  /** Generates a key in memory, signs a certificate for {@code id} and checks it as a peer would. */
  @Override
  public CaClient.Fetched issue(SpiffeId id) {
    Objects.requireNonNull(id, "id");
    if (!id.trustDomain().equals(trustDomain)) {
      throw new IdentityException("the local CA signs for trust domain '" + trustDomain + "', not for " + id);
    }
    KeyPair pair = KeyPairs.ecP256();
    List<X509Certificate> chain = List.of(sign(id, pair.getPublic(), validity));
    new SvidVerifier(bundle(), clock).verify(chain);
    return new CaClient.Fetched(WorkloadCertificate.of(id, chain, pair.getPrivate()), bundle());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(key)).build(key)));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IdentityException("cannot sign a certificate with the CA key: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    BigInteger serial;
    do {
      serial = new BigInteger(128, RANDOM);
    } while (serial.signum() == 0);
    return serial;
  }
}
