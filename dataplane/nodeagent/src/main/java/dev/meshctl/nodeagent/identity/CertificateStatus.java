package dev.meshctl.nodeagent.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * Describes one local identity's certificate for the admin view; never carries key material.
 *
 * @param identity the SPIFFE ID
 * @param state whether a usable certificate is held
 * @param serial the leaf's serial number in hex, empty while pending
 * @param notBefore the leaf's start of validity, null while pending
 * @param notAfter the leaf's end of validity, null while pending
 * @param renewAt when the next CA request is scheduled, null if none is
 * @param lastError the last failure from the CA, empty after a success
 */
public record CertificateStatus(String identity, State state, String serial, Instant notBefore, Instant notAfter,
    Instant renewAt, String lastError) {

  /** Where a certificate is in its life. */
  public enum State {
    /** Requested but never issued: connections for this identity cannot be secured yet. */
    PENDING,
    /** Issued and not yet at half-life. */
    VALID,
    /** Past half-life: renewal is due or failing; still usable until notAfter. */
    EXPIRING,
    /** Past notAfter and not renewed: unusable. */
    EXPIRED
  }

  /** Checks the required fields. */
  public CertificateStatus {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(lastError, "lastError");
  }
}
