package dev.meshctl.nodeagent.proxy;

import static dev.meshctl.nodeagent.proxy.TwoNodes.await;
import static dev.meshctl.nodeagent.proxy.TwoNodes.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.nodeagent.state.MeshState;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart in-process: a successor listens on the running agent's ports (SO_REUSEPORT on loopback), the
 * running agent hands off, and established connections survive while new ones reach the successor.
 */
class ProxyHandOffTest {

    private TwoNodes mesh;
    private Proxy successor;
    private final List<String> successorLog = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        mesh = new TwoNodes();
        mesh.apply();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (successor != null) {
            successor.close();
        }
        mesh.close();
    }

    private Proxy startSuccessor(int node) throws Exception {
        successor = mesh.successor(node, successorLog);
        successor.start(); // binds next to the running agent: no "address in use"
        successor.update(MeshState.of(TwoNodes.workloads(), List.of(), List.of()));
        return successor;
    }

    @Test
    void outboundConnectionSurvivesTheHandOffWhileNewOnesReachTheSuccessor() throws Exception {
        Socket longLived = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address());
        assertThat(roundTrip(longLived, "before")).isEqualTo("before");
        Proxy next = startSuccessor(1);
        assertThat(next.outboundAddress()).isEqualTo(mesh.node1.outboundAddress());

        CompletableFuture<DrainReport> handOff = CompletableFuture.supplyAsync(
                () -> mesh.node1.handOff(Duration.ofSeconds(20)));
        await("the old agent stopped accepting", () -> mesh.node1.openListeners() == 0);

        int fresh = 20;
        for (int i = 0; i < fresh; i++) {
            try (Socket s = mesh.connect(TwoNodes.CURL_IP, next.outboundAddress(), mesh.echo.address())) {
                assertThat(roundTrip(s, "new " + i)).isEqualTo("new " + i);
            }
        }
        assertThat(roundTrip(longLived, "during the drain")).isEqualTo("during the drain");
        assertThat(handOff).as("the old agent waits for its connection").isNotDone();
        await("the successor carried every new connection",
                () -> successorLog.stream().filter(l -> l.contains("direction=outbound")).count() == fresh);
        assertThat(mesh.node1.connections()).singleElement()
                .satisfies(c -> assertThat(c.direction()).isEqualTo("outbound"));

        longLived.close();
        DrainReport report = handOff.get(10, TimeUnit.SECONDS);
        assertThat(report.openAtStart()).isEqualTo(1);
        assertThat(report.resetAtDeadline()).isZero();
        assertThat(report.took()).isLessThan(Duration.ofSeconds(20));
        assertThat(mesh.node1.handedOff()).isTrue();
    }

    @Test
    void inboundHboneConnectionSurvivesTheDestinationsHandOffAndPeersMoveToTheSuccessor() throws Exception {
        Socket longLived = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address());
        assertThat(roundTrip(longLived, "before")).isEqualTo("before");
        Proxy next = startSuccessor(2);

        CompletableFuture<DrainReport> handOff = CompletableFuture.supplyAsync(
                () -> mesh.node2.handOff(Duration.ofSeconds(20)));
        await("the old agent stopped accepting", () -> mesh.node2.openListeners() == 0);
        assertThat(roundTrip(longLived, "during the drain")).isEqualTo("during the drain");

        // Another source identity needs a new tunnel, which only the successor accepts now.
        try (Socket s = mesh.connect(TwoNodes.OTHER_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            assertThat(roundTrip(s, "new tunnel")).isEqualTo("new tunnel");
        }
        await("the successor served the new tunnel",
                () -> successorLog.stream().anyMatch(l -> l.contains("direction=inbound") && l.contains("src.workload=other")));
        assertThat(handOff).isNotDone();

        longLived.close();
        DrainReport report = handOff.get(10, TimeUnit.SECONDS);
        assertThat(report.hboneToldToMove()).isEqualTo(1);
        assertThat(report.resetAtDeadline()).isZero();

        // The old tunnel is gone, so the first source's next connection goes to the successor as well.
        try (Socket s = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            assertThat(roundTrip(s, "after")).isEqualTo("after");
        }
        await("the successor served the first source too",
                () -> successorLog.stream().anyMatch(l -> l.contains("direction=inbound") && l.contains("src.workload=curl")));
    }

    @Test
    void drainDeadlineResetsWhatIsLeftAndReportsIt() throws Exception {
        Socket longLived = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address());
        assertThat(roundTrip(longLived, "before")).isEqualTo("before");
        startSuccessor(1);

        DrainReport report = mesh.node1.handOff(Duration.ofMillis(300));

        assertThat(report.openAtStart()).isEqualTo(1);
        assertThat(report.resetAtDeadline()).isEqualTo(1);
        assertThat(TwoNodes.wasReset(longLived) || longLived.getInputStream().read() < 0).isTrue();
        assertThat(report.toString()).contains("1 reset at the drain deadline");
    }

    @Test
    void handOffAfterCloseDoesNothing() {
        mesh.node1.close();
        assertThat(mesh.node1.handOff(Duration.ofSeconds(1)).openAtStart()).isZero();
    }
}
