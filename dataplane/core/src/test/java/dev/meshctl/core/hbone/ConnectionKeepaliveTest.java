package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConnectionKeepaliveTest {

    @Test
    void sendsPingsAndStaysOpenWhileTheyAreAnswered() {
        EmbeddedChannel ch = channel(new AtomicBoolean(false));
        for (int i = 0; i < 3; i++) {
            ch.advanceTimeBy(10, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            Http2PingFrame ping = ch.readOutbound();
            assertThat(ping).isNotNull();
            assertThat(ping.ack()).isFalse();
            ch.writeInbound(new DefaultHttp2PingFrame(ping.content(), true));
        }
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void closesWhenAPingGoesUnanswered() {
        EmbeddedChannel ch = channel(new AtomicBoolean(false));
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat((Object) ch.readOutbound()).isInstanceOf(Http2PingFrame.class);
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void closesAfterTheIdleTimeoutWithoutStreams() {
        AtomicBoolean idle = new AtomicBoolean(false);
        EmbeddedChannel ch = channel(idle);
        advance(ch, Duration.ofMinutes(10));
        assertThat(ch.isOpen()).as("busy connection stays open").isTrue();

        idle.set(true);
        advance(ch, Duration.ofMinutes(4));
        assertThat(ch.isOpen()).as("idle for less than the timeout").isTrue();
        advance(ch, Duration.ofMinutes(3));
        assertThat(ch.isOpen()).as("idle for longer than the timeout").isFalse();
    }

    /** Moves time forward in 5 s steps, answering every PING like a healthy peer. */
    private static void advance(EmbeddedChannel ch, Duration d) {
        for (long s = 0; s < d.toSeconds() && ch.isOpen(); s += 5) {
            ch.advanceTimeBy(5, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            answerPings(ch);
        }
    }

    private static void answerPings(EmbeddedChannel ch) {
        Object out;
        while (ch.isOpen() && (out = ch.readOutbound()) != null) {
            if (out instanceof Http2PingFrame ping) {
                ch.writeInbound(new DefaultHttp2PingFrame(ping.content(), true));
            }
        }
    }

    private static EmbeddedChannel channel(AtomicBoolean idle) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new ConnectionKeepalive(Duration.ofSeconds(10), Duration.ofMinutes(5), idle::get));
        return ch;
    }
}
