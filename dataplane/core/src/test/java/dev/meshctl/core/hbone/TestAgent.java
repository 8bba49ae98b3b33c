package dev.meshctl.core.hbone;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Plays the node agent's outbound side: accepts app connections and splices each into a pooled HBONE stream. */
final class TestAgent implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel listener;
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<HboneRelay> relays = new CopyOnWriteArrayList<>();

    TestAgent(HbonePool pool, Supplier<HboneRequest> request) throws InterruptedException {
        Transport transport = Transport.preferred();
        group = transport.newGroup(1, "test-agent");
        listener = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        HboneRelay.prepare(ch);
                        HboneRequest r = request.get().withForwardedFor(ch.remoteAddress());
                        pool.open(r).whenComplete((stream, e) -> {
                            if (e != null) {
                                errors.add(e);
                                ch.close();
                            } else {
                                relays.add(stream.splice(ch));
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
