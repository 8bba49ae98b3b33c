package dev.meshctl.nodeagent.identity;

import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.SpiffeId;

/**
 * Obtains a fresh certificate (with a key generated in this process) for one identity: the mesh CA over gRPC
 * ({@code caClient::fetchWithBundle}) or a {@link LocalCa} in static mode.
 */
@FunctionalInterface
public interface CertificateIssuer {

  /**
   * Issues a certificate for {@code id} together with the trust bundle it verified against.
   *
   * @throws dev.meshctl.core.identity.IdentityException (or another runtime exception) when nothing was issued
   */
  CaClient.Fetched issue(SpiffeId id);
}
