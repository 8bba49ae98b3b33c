package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections are shared per (source, destination identities, destination) and filled up to 100 streams. */
class HbonePoolTest {

    private HboneFixture fixture;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void twoStreamsWithTheSameKeyShareOneConnection() throws Exception {
        fixture = new HboneFixture();
        HboneStream a = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        HboneStream b = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        assertThat(a.channel().parent()).isSameAs(b.channel().parent());
        assertThat(fixture.pool.connectionCount()).isEqualTo(1);
    }

    @Test
    void differentSourceIdentitiesNeverShareAConnection() throws Exception {
        fixture = new HboneFixture();
        HboneRequest other = HboneRequest.of(fixture.hbone, fixture.echo.address(), Set.of(HboneFixture.SERVER),
                HboneFixture.OTHER_CLIENT);
        HboneStream a = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        HboneStream b = fixture.pool.open(other).get(10, TimeUnit.SECONDS);
        assertThat(a.channel().parent()).isNotSameAs(b.channel().parent());
        assertThat(fixture.pool.connectionCount()).isEqualTo(2);
        assertThat(fixture.requests).extracting(ConnectRequest::peerIdentity)
                .containsExactlyInAnyOrder(HboneFixture.CLIENT, HboneFixture.OTHER_CLIENT);
    }

    @Test
    void the101stStreamOpensASecondConnection() throws Exception {
        fixture = new HboneFixture();
        List<CompletableFuture<HboneStream>> opening = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            opening.add(fixture.pool.open(fixture.toEcho()));
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        HbonePool.Key key = HbonePool.Key.of(fixture.toEcho());
        assertThat(fixture.pool.connectionCount(key)).isEqualTo(2);
        long onFirst = opening.stream().map(CompletableFuture::join)
                .filter(s -> s.channel().parent() == opening.get(0).join().channel().parent()).count();
        assertThat(onFirst).isEqualTo(100);
    }

    @Test
    void closedStreamsFreeTheirSlot() throws Exception {
        fixture = new HboneFixture(s -> { }, c -> c.maxStreamsPerConnection(1));
        HboneStream first = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        HbonePool.Key key = HbonePool.Key.of(fixture.toEcho());
        assertThat(fixture.pool.activeStreams(key)).isEqualTo(1);
        first.close();
        assertThat(Sockets.eventually(() -> fixture.pool.activeStreams(key) == 0, 5_000)).isTrue();
        HboneStream second = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        assertThat(second.channel().parent()).isSameAs(first.channel().parent());
        assertThat(fixture.pool.connectionCount()).isEqualTo(1);
    }

    @Test
    void idleConnectionIsReleased() throws Exception {
        fixture = new HboneFixture(s -> { }, c -> c.idleTimeout(Duration.ofMillis(200)));
        HboneStream stream = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        assertThat(fixture.pool.connectionCount()).isEqualTo(1);
        stream.close();
        assertThat(Sockets.eventually(() -> fixture.pool.connectionCount() == 0, 10_000)).isTrue();
        assertThat(stream.channel().parent().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        // A new stream simply opens a new connection.
        fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        assertThat(fixture.pool.connectionCount()).isEqualTo(1);
    }

    @Test
    void serverClosesConnectionsWithoutStreams() throws Exception {
        fixture = new HboneFixture(s -> s.idleTimeout(Duration.ofMillis(200)), c -> { });
        HboneStream stream = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        stream.close();
        assertThat(stream.channel().parent().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Sockets.eventually(() -> fixture.pool.connectionCount() == 0, 5_000)).isTrue();
    }

    @Test
    void keepalivePingsKeepABusyConnectionOpen() throws Exception {
        fixture = new HboneFixture(s -> s.pingInterval(Duration.ofMillis(50)),
                c -> c.pingInterval(Duration.ofMillis(50)));
        HboneStream stream = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        // Several ping rounds pass; answered pings never close the connection.
        assertThat(stream.channel().parent().closeFuture().await(500, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.channel().isActive()).isTrue();
    }

    @Test
    void closedPoolRefusesNewStreams() throws Exception {
        fixture = new HboneFixture();
        fixture.pool.close();
        assertThat(fixture.pool.open(fixture.toEcho())).failsWithin(5, TimeUnit.SECONDS);
    }
}
