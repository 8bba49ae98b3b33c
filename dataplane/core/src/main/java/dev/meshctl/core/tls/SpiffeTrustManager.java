package dev.meshctl.core.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks peers with a {@link PeerVerifier} instead of hostnames, optionally requiring the peer to be one of
 * a set of expected identities, and records the verified id in the handshake session.
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {

    /** Session value key under which the verified peer SPIFFE id is stored. */
    public static final String PEER_ID_KEY = "dev.meshctl.peer-spiffe-id";

    private final PeerVerifier verifier;
    private final Set<String> expectedPeers;

    /**
     * Creates a trust manager; an empty {@code expectedPeers} accepts any verified peer (authorization decides
     * later, as on the server side).
     */
    public SpiffeTrustManager(PeerVerifier verifier, Set<String> expectedPeers) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.expectedPeers = Set.copyOf(Objects.requireNonNull(expectedPeers, "expectedPeers"));
    }

    /** Returns the peer id recorded during the handshake of {@code session}, if any. */
    public static Optional<String> peerIdentity(SSLSession session) {
        Object value = session == null ? null : session.getValue(PEER_ID_KEY);
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, engine == null ? null : engine.getHandshakeSession(), "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, engine == null ? null : engine.getHandshakeSession(), "server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, null, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, null, "server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null, "server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // Advertising no CA names keeps clients from choosing a certificate by issuer: each has exactly one.
        return new X509Certificate[0];
    }

    private void check(X509Certificate[] chain, SSLSession handshake, String role) throws CertificateException {
        String peer = verifier.verify(chain == null ? List.of() : Arrays.asList(chain));
        if (!expectedPeers.isEmpty() && !expectedPeers.contains(peer)) {
            throw new CertificateException(role + " identity " + peer + " is not one of the identities expected for "
                    + "this destination " + expectedPeers + "; the destination may be impersonated or the mesh "
                    + "state may be stale");
        }
        if (handshake != null) {
            handshake.putValue(PEER_ID_KEY, peer);
        }
    }
}
