package dev.meshctl.nodeagent.proxy;

import dev.meshctl.core.tls.TestPki;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.nodeagent.state.MeshState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Two in-process node agents on loopback (capture off) with pods on loopback aliases: node-1 holds {@code curl}
 * (127.0.1.1), {@code other} (127.0.1.4) and {@code local-echo} (127.0.1.3); node-2 holds {@code echo} (127.0.2.1).
 * A client's original destination is registered per client IP; HBONE to {@code pod:15008} is dialled at the HBONE
 * port of the pod's node agent.
 */
final class TwoNodes implements AutoCloseable {

    static final String CURL_IP = "127.0.1.1";
    static final String OTHER_IP = "127.0.1.4";
    static final String CURL2_IP = "127.0.1.5";
    static final String LOCAL_ECHO_IP = "127.0.1.3";
    static final String ECHO_IP = "127.0.2.1";
    static final String OUTSIDER_IP = "127.0.3.1";

    final TestPki pki = TestPki.create("mesh-root");
    final TestIdentities identities = new TestIdentities(pki);
    final Map<InetAddress, InetSocketAddress> destinations = new ConcurrentHashMap<>();
    final List<String> log1 = new CopyOnWriteArrayList<>();
    final List<String> log2 = new CopyOnWriteArrayList<>();
    final PrometheusMeterRegistry metrics1 = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final PrometheusMeterRegistry metrics2 = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final EchoServer echo;
    final EchoServer localEcho;
    final Proxy node1;
    final Proxy node2;
    private final List<Socket> sockets = new ArrayList<>();
    private final ProxyHooks base;

    TwoNodes() throws Exception {
        echo = new EchoServer(ECHO_IP);
        localEcho = new EchoServer(LOCAL_ECHO_IP);
        int[] hbonePorts = new int[3];
        base = ProxyHooks.host()
                .withOriginalDestinations((source, local) -> destinations.getOrDefault(source.getAddress(), local))
                .withDialAddresses(a -> a.getPort() == 15008
                        ? new InetSocketAddress(a.getAddress(), hbonePorts[a.getAddress().getAddress()[2]])
                        : a)
                .withCommands((command, stdin) -> {
                    throw new IOException("no commands in-process");
                });
        ProxySettings s1 = ProxySettings.inProcess("node-1", "127.0.0.11")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMillis(200));
        ProxySettings s2 = ProxySettings.inProcess("node-2", "127.0.0.12")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMillis(200));
        node1 = new Proxy(s1, identities, metrics1, base.withAccessLog(log1::add));
        node2 = new Proxy(s2, identities, metrics2, base.withAccessLog(log2::add));
        node1.start();
        node2.start();
        hbonePorts[1] = node1.hboneAddress().getPort();
        hbonePorts[2] = node2.hboneAddress().getPort();
    }

    /**
     * Returns a successor for node {@code n} (1 or 2): a new agent on the same ports as the running one, logging to
     * {@code accessLog}; it listens next to the running agent once started.
     */
    Proxy successor(int n, List<String> accessLog) {
        Proxy running = n == 1 ? node1 : node2;
        ProxySettings s = new ProxySettings("node-" + n, "127.0.0.1" + n, running.outboundAddress().getPort(),
                running.plaintextAddress().getPort(), running.hboneAddress().getPort(), false, "cluster.local",
                Duration.ofSeconds(2), Duration.ofMinutes(1), 10_000, Duration.ofMillis(200));
        return new Proxy(s, identities, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                base.withAccessLog(accessLog::add));
    }

    static Workload workload(String name, String ip, String node, String sa, Map<String, String> labels) {
        return Workload.newBuilder().setUid("default/" + name).setName(name + "-pod").setWorkloadName(name)
                .setNamespace("default").setNode(node).addAddresses(ip).setServiceAccount(sa)
                .setTrustDomain("cluster.local").putAllLabels(labels).setTunnelProtocol(TunnelProtocol.HBONE).build();
    }

    static List<Workload> workloads() {
        return List.of(
                workload("curl", CURL_IP, "node-1", "curl", Map.of("app", "curl")),
                workload("other", OTHER_IP, "node-1", "other", Map.of("app", "other")),
                workload("curl2", CURL2_IP, "node-1", "curl", Map.of("app", "curl")),
                workload("local-echo", LOCAL_ECHO_IP, "node-1", "local-echo", Map.of("app", "local-echo")),
                workload("echo", ECHO_IP, "node-2", "echo", Map.of("app", "echo")));
    }

    /** Applies {@code policies} to both agents. */
    void apply(Authorization... policies) {
        MeshState state = MeshState.of(workloads(), List.of(), List.of(policies));
        node1.update(state);
        node2.update(state);
    }

    /** Returns an ALLOW policy on {@code app} letting only {@code principal} in. */
    static Authorization allowOnly(String app, String principal) {
        return Authorization.newBuilder().setName("allow-" + app).setNamespace("default")
                .setScope(Scope.WORKLOAD_SELECTOR).putSelector("app", app).setAction(Action.ALLOW)
                .addRules(Rules.newBuilder().addMatches(Clause.newBuilder().addMatches(Match.newBuilder()
                        .addPrincipals(StringMatch.newBuilder().setExact(principal)))))
                .build();
    }

    /** Returns the DENY a STRICT PeerAuthentication on the namespace converts to. */
    static Authorization strict() {
        return Authorization.newBuilder().setName("converted-strict").setNamespace("default")
                .setScope(Scope.NAMESPACE).setAction(Action.DENY)
                .addRules(Rules.newBuilder().addMatches(Clause.newBuilder().addMatches(Match.newBuilder()
                        .addNotPrincipals(StringMatch.newBuilder().setPresence(true)))))
                .build();
    }

    /** Connects from {@code clientIp} to {@code listener}, as if originally addressed to {@code destination}. */
    Socket connect(String clientIp, InetSocketAddress listener, InetSocketAddress destination) throws IOException {
        InetAddress client = InetAddress.getByName(clientIp);
        destinations.put(client, destination);
        Socket s = new Socket();
        sockets.add(s);
        s.setSoTimeout(5000);
        s.bind(new InetSocketAddress(client, 0));
        s.connect(listener, 2000);
        return s;
    }

    /** Sends {@code text} and returns what comes back, which for an echo is {@code text}. */
    static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        byte[] buf = new byte[text.length()];
        InputStream in = s.getInputStream();
        int read = 0;
        while (read < buf.length) {
            int n = in.read(buf, read, buf.length - read);
            if (n < 0) {
                throw new IOException("EOF after " + read + " bytes");
            }
            read += n;
        }
        return new String(buf, StandardCharsets.UTF_8);
    }

    /**
     * Returns whether a connection from {@code clientIp} (originally to {@code destination}) is reset; a reset that
     * races the handshake surfaces in {@code connect} itself.
     */
    boolean isReset(String clientIp, InetSocketAddress listener, InetSocketAddress destination) throws IOException {
        Socket s;
        try {
            s = connect(clientIp, listener, destination);
        } catch (SocketException e) {
            return true;
        }
        try (s) {
            return wasReset(s);
        }
    }

    /** Returns whether the connection was reset: writing and reading end in "Connection reset". */
    static boolean wasReset(Socket s) {
        try {
            s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            s.getInputStream().read();
            return false; // data or a clean EOF: not a reset
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until {@code condition} holds, failing after five seconds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                assertThat(condition.getAsBoolean()).as(what).isTrue();
            }
            LockSupport.parkNanos(5_000_000); // poll interval, not the wait itself
        }
    }

    @Override
    public void close() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        node1.close();
        node2.close();
        echo.close();
        localEcho.close();
    }
}
