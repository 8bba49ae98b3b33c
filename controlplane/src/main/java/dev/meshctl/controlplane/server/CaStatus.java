package dev.meshctl.controlplane.server;

import dev.meshctl.controlplane.ca.MeshCa;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Reports the CA's root: what `meshctl check` verifies. */
record CaStatus(String trustDomain, String rootSubject, String notBefore, String notAfter, boolean valid) {

  static CaStatus of(MeshCa ca) {
    if (ca == null) {
      return new CaStatus("", "", "", "", false);
    }
    X509Certificate root = ca.root();
    Instant now = Instant.now();
    boolean valid = !now.isBefore(root.getNotBefore().toInstant()) && now.isBefore(root.getNotAfter().toInstant());
    return new CaStatus(ca.trustDomain(), root.getSubjectX500Principal().getName(),
        root.getNotBefore().toInstant().toString(), root.getNotAfter().toInstant().toString(), valid);
  }
}
