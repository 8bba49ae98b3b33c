package dev.meshctl.core.hbone;

import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.PkixPeerVerifier;
import dev.meshctl.core.tls.TlsIdentity;
import io.netty.handler.ssl.SslContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reuses the {@link SslContext} built for an identity (and, on the client, an expected peer set) until the
 * certificate rotates; a rotated identity is a different key, so it gets a fresh context.
 */
final class TlsContextCache<K> {

    /** Bound on cached contexts: old rotations are forgotten wholesale rather than tracked. */
    private static final int MAX_ENTRIES = 256;

    private final Map<K, SslContext> contexts = new ConcurrentHashMap<>();

    /** Returns the cached context for {@code key}, building it with {@code build} on a miss. */
    SslContext get(K key, Function<K, SslContext> build) {
        SslContext cached = contexts.get(key);
        if (cached != null) {
            return cached;
        }
        if (contexts.size() >= MAX_ENTRIES) {
            contexts.clear();
        }
        return contexts.computeIfAbsent(key, build);
    }

    /** Returns the default verifier of an identity: PKIX against its own trust roots. */
    static Function<TlsIdentity, PeerVerifier> pkixVerifiers() {
        return id -> PkixPeerVerifier.trusting(id.trustRoots());
    }
}
