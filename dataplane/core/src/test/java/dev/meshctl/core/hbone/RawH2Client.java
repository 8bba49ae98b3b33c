package dev.meshctl.core.hbone;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bare HTTP/2 client over TLS with none of HBONE's manners, to probe the server: arbitrary headers, streams
 * past the advertised limit, rapid resets.
 */
final class RawH2Client implements AutoCloseable {

    /** How a stream ended: the response status, or the reset error code. */
    record Outcome(int status, long resetCode) {
    }

    private final EventLoopGroup group;
    final Channel channel;
    final SslHandler ssl;
    final Http2FrameCodec codec;
    final CompletableFuture<Long> advertisedMaxStreams = new CompletableFuture<>();
    final CompletableFuture<Long> goAwayCode = new CompletableFuture<>();

    RawH2Client(SslContext context, InetSocketAddress address, boolean ignoreStreamLimit) throws InterruptedException {
        Transport transport = Transport.preferred();
        group = transport.newGroup(1, "raw-h2");
        ssl = context.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT);
        // No self-imposed RST limit: this client is the misbehaving peer.
        codec = Http2FrameCodecBuilder.forClient().encoderEnforceMaxRstFramesPerWindow(0, 0).build();
        channel = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl, codec, new Recorder(ignoreStreamLimit),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect(address).sync().channel();
    }

    Future<Channel> handshake() {
        return ssl.handshakeFuture();
    }

    /** Opens a stream with {@code headers} and reports its answer or reset. */
    CompletableFuture<Outcome> send(Http2Headers headers) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        new Http2StreamChannelBootstrap(channel).handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2HeadersFrame h) {
                    outcome.complete(new Outcome(Integer.parseInt(h.headers().status().toString()), -1));
                }
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof Http2ResetFrame reset) {
                    outcome.complete(new Outcome(-1, reset.errorCode()));
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                outcome.complete(new Outcome(-1, -1));
            }
        }).open().addListener(f -> {
            if (!f.isSuccess()) {
                outcome.completeExceptionally(f.cause());
                return;
            }
            ((Http2StreamChannel) f.getNow()).writeAndFlush(new DefaultHttp2HeadersFrame(headers, false))
                    .addListener(w -> {
                        if (!w.isSuccess()) {
                            outcome.completeExceptionally(w.cause());
                        }
                    });
        });
        return outcome;
    }

    /** Opens {@code count} CONNECT streams and resets each right away, all in one event loop turn. */
    void rapidReset(int count, String authority) {
        channel.eventLoop().execute(() -> {
            for (int i = 0; i < count && channel.isActive(); i++) {
                new Http2StreamChannelBootstrap(channel).handler(new ChannelInboundHandlerAdapter()).open()
                        .addListener(f -> {
                            if (f.isSuccess()) {
                                Http2StreamChannel s = (Http2StreamChannel) f.getNow();
                                s.writeAndFlush(new DefaultHttp2HeadersFrame(connect(authority), false));
                                s.close(); // RST_STREAM(CANCEL)
                            }
                        });
            }
        });
    }

    static Http2Headers connect(String authority) {
        return new DefaultHttp2Headers().method("CONNECT").authority(authority);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Records SETTINGS and GOAWAY; optionally lifts the client's own stream limit to probe the server's. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        private final boolean ignoreStreamLimit;

        Recorder(boolean ignoreStreamLimit) {
            this.ignoreStreamLimit = ignoreStreamLimit;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame settings && settings.settings().maxConcurrentStreams() != null) {
                advertisedMaxStreams.complete(settings.settings().maxConcurrentStreams());
                if (ignoreStreamLimit) {
                    codec.connection().local().maxActiveStreams(10_000);
                }
            } else if (msg instanceof Http2GoAwayFrame goAway) {
                goAwayCode.complete(goAway.errorCode());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
