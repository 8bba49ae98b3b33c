package dev.meshctl.core.hbone;

import dev.meshctl.core.tls.TestPki;
import dev.meshctl.core.tls.TlsIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Runs an HBONE server in front of an echo upstream and a pooled client, all on loopback, with certificates from
 * one test root. The default policy accepts targets on 127.0.0.1 (the destination) and answers 400 otherwise.
 */
final class HboneFixture implements AutoCloseable {

    static final String CLIENT = TestPki.spiffe("default", "client");
    static final String OTHER_CLIENT = TestPki.spiffe("default", "other");
    static final String SERVER = TestPki.spiffe("default", "echo");

    final TestPki pki = TestPki.create("mesh-root");
    final TlsIdentity clientIdentity = pki.issue(CLIENT);
    final TlsIdentity otherClientIdentity = pki.issue(OTHER_CLIENT);
    final TlsIdentity serverIdentity = pki.issue(SERVER);
    final List<ConnectRequest> requests = new CopyOnWriteArrayList<>();
    volatile InboundHandler policy = HboneFixture::destinationOnly;
    final EchoUpstream echo;
    final HboneServer server;
    final InetSocketAddress hbone;
    final HboneClient client;
    final HbonePool pool;

    HboneFixture() throws Exception {
        this(s -> { }, c -> { });
    }

    HboneFixture(Consumer<HboneServer.Builder> serverTweaks, Consumer<HboneClient.Builder> clientTweaks)
            throws Exception {
        echo = new EchoUpstream();
        HboneServer.Builder sb = HboneServer.builder()
                .threads(1)
                .identities(local -> Optional.of(serverIdentity))
                .handler(request -> {
                    requests.add(request);
                    return policy.decide(request);
                });
        serverTweaks.accept(sb);
        server = sb.build();
        hbone = server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Map<String, TlsIdentity> certs = Map.of(CLIENT, clientIdentity, OTHER_CLIENT, otherClientIdentity);
        HboneClient.Builder cb = HboneClient.builder().threads(1)
                .certificates(id -> Optional.ofNullable(certs.get(id)));
        clientTweaks.accept(cb);
        client = cb.build();
        pool = new HbonePool(client);
    }

    /** Returns a request from {@link #CLIENT} to the echo upstream through the server. */
    HboneRequest toEcho() {
        return HboneRequest.of(hbone, echo.address(), Set.of(SERVER), CLIENT);
    }

    static InboundDecision destinationOnly(ConnectRequest request) {
        if (!"127.0.0.1".equals(request.target().getHostString())) {
            return InboundDecision.reject(400, "target " + request.target() + " is not this destination");
        }
        return InboundDecision.connect(new InetSocketAddress("127.0.0.1", request.target().getPort()));
    }

    @Override
    public void close() throws Exception {
        pool.close();
        client.close();
        server.close();
        echo.close();
    }
}
