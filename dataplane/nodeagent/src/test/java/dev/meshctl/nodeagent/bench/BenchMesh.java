package dev.meshctl.nodeagent.bench;

import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.PkixPeerVerifier;
import dev.meshctl.core.tls.TestPki;
import dev.meshctl.core.tls.TlsIdentity;
import dev.meshctl.nodeagent.identity.WorkloadIdentities;
import dev.meshctl.nodeagent.proxy.Proxy;
import dev.meshctl.nodeagent.proxy.ProxyHooks;
import dev.meshctl.nodeagent.proxy.ProxySettings;
import dev.meshctl.nodeagent.state.MeshState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two in-process node agents on loopback (capture off): the client pod {@code 127.0.1.1} on node-1, the server pod
 * {@code 127.0.2.1} on node-2. Opens client sockets either straight to a server or through both agents (HBONE).
 */
final class BenchMesh implements AutoCloseable {

    static final String CLIENT_IP = "127.0.1.1";
    static final String SERVER_IP = "127.0.2.1";

    private final Map<InetAddress, InetSocketAddress> destinations = new ConcurrentHashMap<>();
    final Proxy node1;
    final Proxy node2;

    BenchMesh() throws Exception {
        TestPki pki = TestPki.create("bench-root");
        Map<String, TlsIdentity> issued = new ConcurrentHashMap<>();
        WorkloadIdentities identities = new WorkloadIdentities() {
            @Override
            public Optional<TlsIdentity> identity(String spiffeId) {
                return Optional.of(issued.computeIfAbsent(spiffeId, pki::issue));
            }

            @Override
            public PeerVerifier peerVerifier() {
                return PkixPeerVerifier.trusting(List.of(pki.root()));
            }
        };
        int[] hbonePorts = new int[3];
        ProxyHooks hooks = ProxyHooks.host()
                .withOriginalDestinations((source, local) -> destinations.getOrDefault(source.getAddress(), local))
                .withDialAddresses(a -> a.getPort() == 15008
                        ? new InetSocketAddress(a.getAddress(), hbonePorts[a.getAddress().getAddress()[2]])
                        : a)
                .withAccessLog(line -> { })
                .withCommands((command, stdin) -> {
                    throw new IOException("no commands in-process");
                });
        Duration connect = Duration.ofSeconds(2);
        node1 = new Proxy(ProxySettings.inProcess("node-1", "127.0.0.11")
                .withTimeouts(connect, Duration.ofMinutes(5), Duration.ofMillis(200)), identities,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), hooks);
        node2 = new Proxy(ProxySettings.inProcess("node-2", "127.0.0.12")
                .withTimeouts(connect, Duration.ofMinutes(5), Duration.ofMillis(200)), identities,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), hooks);
        node1.start();
        node2.start();
        hbonePorts[1] = node1.hboneAddress().getPort();
        hbonePorts[2] = node2.hboneAddress().getPort();
        MeshState state = MeshState.of(List.of(
                workload("client", CLIENT_IP, "node-1"),
                workload("server", SERVER_IP, "node-2")), List.of(), List.of());
        node1.update(state);
        node2.update(state);
    }

    private static Workload workload(String name, String ip, String node) {
        return Workload.newBuilder().setUid("default/" + name).setName(name + "-pod").setWorkloadName(name)
                .setNamespace("default").setNode(node).addAddresses(ip).setServiceAccount(name)
                .setTrustDomain("cluster.local").putLabels("app", name).setTunnelProtocol(TunnelProtocol.HBONE)
                .build();
    }

    /** Opens a client socket from the client pod to {@code server}, through both agents when {@code meshed}. */
    Socket open(InetSocketAddress server, boolean meshed) throws IOException {
        InetAddress client = InetAddress.getByName(CLIENT_IP);
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        s.bind(new InetSocketAddress(client, 0));
        if (meshed) {
            destinations.put(client, server);
            s.connect(node1.outboundAddress(), 2000);
        } else {
            s.connect(server, 2000);
        }
        return s;
    }

    @Override
    public void close() {
        node1.close();
        node2.close();
    }
}
