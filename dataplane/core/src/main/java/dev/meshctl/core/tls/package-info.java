/**
 * Builds the mutual TLS 1.3 contexts that carry mesh identities (SPIFFE X.509-SVIDs) for HBONE.
 *
 * <p>Certificates come from a {@link dev.meshctl.core.tls.CertificateSource} and peers are checked by a
 * {@link dev.meshctl.core.tls.PeerVerifier}, so rotation and SVID rules live outside this package.
 */
package dev.meshctl.core.tls;
