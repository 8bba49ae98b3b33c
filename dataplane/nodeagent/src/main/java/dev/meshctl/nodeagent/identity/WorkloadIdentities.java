package dev.meshctl.nodeagent.identity;

import dev.meshctl.core.tls.CertificateSource;
import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.TlsIdentity;
import java.util.Optional;

/**
 * Gives the traffic path the certificates of local workloads and a verifier for peers, and nothing else: it never
 * exposes how certificates are obtained or rotated. Keys stay in this process.
 */
public interface WorkloadIdentities extends CertificateSource {

  /** Returns the current certificate and key for {@code spiffeId} (a local workload's identity), if issued. */
  @Override
  Optional<TlsIdentity> identity(String spiffeId);

  /** Returns a verifier of peer SVIDs against the current trust bundle (trust domain, path, SVID rules). */
  PeerVerifier peerVerifier();
}
