package dev.meshctl.core.tls;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Chooses which local identity answers an inbound connection, from the address the connection was made to.
 *
 * <p>HBONE does not rely on SNI: the destination pod's IP (the original destination under TPROXY) names the
 * workload whose certificate must be presented.
 */
@FunctionalInterface
public interface ServerIdentitySelector {

    /** Returns the identity serving {@code localAddress}, or empty to refuse the connection. */
    Optional<TlsIdentity> select(InetSocketAddress localAddress);
}
