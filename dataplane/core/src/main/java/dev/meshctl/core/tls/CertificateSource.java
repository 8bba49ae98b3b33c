package dev.meshctl.core.tls;

import java.util.Optional;

/**
 * Supplies the current certificate of a local identity; asked again for every new connection so a rotated
 * certificate is used without rebuilding listeners or pools.
 */
@FunctionalInterface
public interface CertificateSource {

    /** Returns the current material for {@code spiffeId}, or empty when none has been issued (yet). */
    Optional<TlsIdentity> identity(String spiffeId);
}
