package dev.meshctl.core.hbone;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splices a plain TCP channel to an HBONE stream channel, both ways, with back-pressure and half-close.
 *
 * <p>Each side reads its next chunk only after the previous one was written to the other side. TCP EOF becomes
 * END_STREAM and END_STREAM becomes a TCP FIN ({@code shutdownOutput}); the stream closes once both directions
 * ended and then the TCP channel is closed too. Errors or a reset close both.
 */
public final class HboneRelay {

    private static final Logger log = LoggerFactory.getLogger(HboneRelay.class);

    private final Http2StreamChannel stream;
    private final Channel tcp;
    private final AtomicLong toStream = new AtomicLong();
    private final AtomicLong toTcp = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private HboneRelay(Http2StreamChannel stream, Channel tcp) {
        this.stream = stream;
        this.tcp = tcp;
    }

    /**
     * Readies a freshly accepted or connected TCP channel for a later {@link #splice}: auto-read off, half-closure
     * on, and whatever arrives before the splice held back rather than dropped. Call it in {@code initChannel}.
     *
     * <p>Needed because the epoll transport reacts to a FIN even while not reading, and then reads: a client that
     * sends and half-closes at once would otherwise lose its request before the HBONE stream is ready.
     */
    public static void prepare(Channel tcp) {
        Objects.requireNonNull(tcp, "tcp");
        tcp.config().setAutoRead(false);
        tcp.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        if (tcp.pipeline().get(Hold.class) == null) {
            tcp.pipeline().addLast("hbone-hold", new Hold());
        }
    }

    /**
     * Starts relaying between {@code stream} and {@code tcp}; neither may have a handler that consumes reads.
     * Prepares {@code tcp} if {@link #prepare} was not called, and replays what it held back.
     */
    public static HboneRelay splice(Http2StreamChannel stream, Channel tcp) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(tcp, "tcp");
        HboneRelay relay = new HboneRelay(stream, tcp);
        stream.config().setAutoRead(false);
        stream.closeFuture().addListener(f -> tcp.closeFuture().addListener(g -> relay.done.complete(null)));
        if (tcp.eventLoop().inEventLoop()) {
            relay.start();
        } else {
            tcp.eventLoop().execute(relay::start);
        }
        return relay;
    }

    /** Holds frames a stream delivers before its splice (they may come in the same read as the CONNECT). */
    static void holdStream(Http2StreamChannel stream) {
        stream.pipeline().addLast("hbone-hold", new Hold());
    }

    private void start() {
        prepare(tcp);
        stream.pipeline().addLast("hbone-relay", new StreamSide());
        tcp.pipeline().addLast("hbone-relay", new TcpSide());
        // Replays held frames, reads and a held EOF into the relay handlers.
        if (stream.pipeline().get(Hold.class) != null) {
            stream.pipeline().remove(Hold.class);
        }
        tcp.pipeline().remove(Hold.class);
        if (!stream.isActive() || !tcp.isActive()) {
            closeBoth(null);
            return;
        }
        readTcp();
        stream.read();
    }

    /** Asks TCP for more unless its input already ended (epoll refuses to read a shut-down input). */
    private void readTcp() {
        if (!(tcp instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            tcp.read();
        }
    }

    /** Returns the bytes copied from the TCP side into the stream so far. */
    public long bytesToStream() {
        return toStream.get();
    }

    /** Returns the bytes copied from the stream to the TCP side so far. */
    public long bytesToTcp() {
        return toTcp.get();
    }

    /** Returns a future completed once both channels are closed. */
    public CompletableFuture<Void> completion() {
        return done;
    }

    /** Resets both sides now: the stream with RST_STREAM, the TCP connection with a RST ({@code SO_LINGER 0}). */
    public void reset() {
        tcp.eventLoop().execute(() -> {
            if (tcp.isOpen()) {
                tcp.config().setOption(ChannelOption.SO_LINGER, 0);
            }
            closeBoth(null);
        });
    }

    private void closeBoth(Throwable cause) {
        if (cause != null) {
            log.debug("relay between {} and {} failed", tcp.remoteAddress(), stream, cause);
        }
        stream.close();
        tcp.close();
    }

    /** Copies TCP bytes into DATA frames; EOF becomes END_STREAM. */
    private final class TcpSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                readTcp();
                return;
            }
            toStream.addAndGet(buf.readableBytes());
            stream.writeAndFlush(new DefaultHttp2DataFrame(buf)).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    readTcp();
                } else {
                    closeBoth(f.cause());
                }
            });
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true))
                        .addListener((ChannelFutureListener) f -> {
                            if (!f.isSuccess()) {
                                closeBoth(f.cause());
                            }
                        });
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // The TCP peer is gone in both directions: whatever the stream still sends cannot be delivered.
            stream.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeBoth(cause);
        }
    }

    /** Copies DATA frames to TCP; END_STREAM becomes a FIN. */
    private final class StreamSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2DataFrame data) {
                boolean end = data.isEndStream();
                ByteBuf content = data.content();
                if (!content.isReadable()) {
                    data.release();
                    afterWrite(end);
                    return;
                }
                toTcp.addAndGet(content.readableBytes());
                tcp.writeAndFlush(content).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        afterWrite(end);
                    } else {
                        closeBoth(f.cause());
                    }
                });
                return;
            }
            boolean end = msg instanceof Http2HeadersFrame trailers && trailers.isEndStream();
            ReferenceCountUtil.release(msg);
            afterWrite(end);
        }

        private void afterWrite(boolean end) {
            if (!end) {
                stream.read();
            } else if (tcp instanceof DuplexChannel duplex) {
                duplex.shutdownOutput().addListener(f -> {
                    if (!f.isSuccess()) {
                        closeBoth(f.cause());
                    }
                });
            } else {
                tcp.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // Both directions ended or the stream was reset: flush what was written, then close TCP.
            if (tcp.isActive()) {
                tcp.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeBoth(cause);
        }
    }

    /** Keeps what a TCP channel delivers before its splice, and replays it when removed. */
    private static final class Hold extends ChannelInboundHandlerAdapter {
        private final java.util.ArrayDeque<Object> held = new java.util.ArrayDeque<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            held.add(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                held.add(evt);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            Object o;
            while ((o = held.poll()) != null) {
                if (o instanceof ChannelInputShutdownEvent) {
                    ctx.fireUserEventTriggered(o);
                } else {
                    ctx.fireChannelRead(o);
                }
            }
        }
    }
}
