package dev.meshctl.core.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Verifies a peer's certificate chain (leaf first) and names the identity it proves. */
@FunctionalInterface
public interface PeerVerifier {

    /**
     * Returns the peer's SPIFFE id ({@code spiffe://...}) when {@code chain} is a valid X.509-SVID chain.
     *
     * @throws CertificateException naming what is wrong with the chain
     */
    String verify(List<X509Certificate> chain) throws CertificateException;
}
