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
import java.util.concurrent.atomic.AtomicBoolean;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splices a plain TCP channel to an HBONE stream channel, both ways, with back-pressure and half-close.
 *
 * <p>Each side writes what it reads at once, flushes once per read batch and keeps reading while the other side is
 * writable; an unwritable side (full socket buffer, or an exhausted HTTP/2 flow-control window) parks the reader until
 * it drains. Waiting for every write to complete before the next read would cost a cross-thread round trip per
 * chunk, as the stream and the TCP channel may sit on different event loops. TCP EOF becomes
 * END_STREAM and END_STREAM becomes a TCP FIN ({@code shutdownOutput}); the stream closes once both directions
 * ended and then the TCP channel is closed too. Errors or a reset close both.
 */
public final class HboneRelay {

    private static final Logger log = LoggerFactory.getLogger(HboneRelay.class);
    /** Most bytes read from TCP and not yet written out by the stream before TCP reading pauses. */
    static final long MAX_UNWRITTEN = 256 * 1024;

    private final Http2StreamChannel stream;
    private final Channel tcp;
    private final AtomicLong toStream = new AtomicLong();
    private final AtomicLong toTcp = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Set while TCP reading waits for the stream to become writable. */
    private final AtomicBoolean tcpParked = new AtomicBoolean();
    /** Set while stream reading waits for TCP to become writable. */
    private final AtomicBoolean streamParked = new AtomicBoolean();
    /** Bytes read from TCP whose DATA frames the stream has not written out yet. */
    private final AtomicLong unwritten = new AtomicLong();
    private final BooleanSupplier streamTakesMore = this::streamTakesMore;
    private final Runnable readTcp = this::readTcp;
    private final Runnable readStream;
    private final ChannelFutureListener closeOnFailure = f -> {
        if (!f.isSuccess()) {
            closeBoth(f.cause());
        }
    };

    private HboneRelay(Http2StreamChannel stream, Channel tcp) {
        this.stream = stream;
        this.tcp = tcp;
        this.readStream = stream::read;
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

    /**
     * Asks TCP for more unless its input already ended (epoll refuses to read a shut-down input). Checks on the TCP
     * event loop: a resume from the stream's loop could otherwise race the input's shutdown.
     */
    private void readTcp() {
        if (!tcp.eventLoop().inEventLoop()) {
            tcp.eventLoop().execute(readTcp);
        } else if (!(tcp instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
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

    /**
     * Parks one side's reading until the other side drains, or reads on at once. Setting the flag before checking
     * again means a drain racing from the other event loop cannot be missed.
     */
    private static void readOrPark(BooleanSupplier canWrite, AtomicBoolean parked, Runnable read) {
        if (canWrite.getAsBoolean()) {
            read.run();
            return;
        }
        parked.set(true);
        unpark(canWrite, parked, read);
    }

    /** Resumes a parked side once the side it writes to can take more. */
    private static void unpark(BooleanSupplier canWrite, AtomicBoolean parked, Runnable read) {
        if (canWrite.getAsBoolean() && parked.compareAndSet(true, false)) {
            read.run();
        }
    }

    /**
     * Returns whether TCP reading may go on. Writes into the stream made from the TCP event loop travel as tasks
     * that the stream channel does not count towards its writability, so the relay counts them itself.
     */
    private boolean streamTakesMore() {
        return unwritten.get() < MAX_UNWRITTEN && stream.isWritable();
    }

    /**
     * Copies TCP bytes into DATA frames; EOF becomes END_STREAM. Frames are written as they are read and flushed once
     * per read batch; reading pauses only while the stream is not writable (flow-control window or buffer full).
     */
    private final class TcpSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            int bytes = buf.readableBytes();
            toStream.addAndGet(bytes);
            unwritten.addAndGet(bytes);
            stream.write(new DefaultHttp2DataFrame(buf)).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    closeBoth(f.cause());
                    return;
                }
                unwritten.addAndGet(-bytes);
                unpark(streamTakesMore, tcpParked, readTcp);
            });
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            stream.flush();
            readOrPark(streamTakesMore, tcpParked, readTcp);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            unpark(tcp::isWritable, streamParked, readStream);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true))
                        .addListener(closeOnFailure);
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

    /**
     * Copies DATA frames to TCP; END_STREAM becomes a FIN once everything before it was written. Like
     * {@link TcpSide}, it writes as it reads, flushes per batch and pauses only while TCP is not writable.
     */
    private final class StreamSide extends ChannelInboundHandlerAdapter {
        private boolean ended;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2DataFrame data) {
                ByteBuf content = data.content();
                if (data.isEndStream()) {
                    end(content);
                } else if (content.isReadable()) {
                    toTcp.addAndGet(content.readableBytes());
                    tcp.write(content).addListener(closeOnFailure);
                } else {
                    content.release();
                }
                return;
            }
            boolean end = msg instanceof Http2HeadersFrame trailers && trailers.isEndStream();
            ReferenceCountUtil.release(msg);
            if (end) {
                end(Unpooled.EMPTY_BUFFER);
            }
        }

        /** Writes the last bytes, then shuts the TCP output down (not before: that would drop pending writes). */
        private void end(ByteBuf last) {
            ended = true;
            toTcp.addAndGet(last.readableBytes());
            tcp.writeAndFlush(last).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    closeBoth(f.cause());
                } else if (tcp instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput().addListener(closeOnFailure);
                } else {
                    tcp.close();
                }
            });
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            tcp.flush();
            if (!ended) {
                readOrPark(tcp::isWritable, streamParked, readStream);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            unpark(streamTakesMore, tcpParked, readTcp);
            ctx.fireChannelWritabilityChanged();
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
            boolean replayed = !held.isEmpty();
            Object o;
            while ((o = held.poll()) != null) {
                if (o instanceof ChannelInputShutdownEvent) {
                    ctx.fireUserEventTriggered(o);
                } else {
                    ctx.fireChannelRead(o);
                }
            }
            if (replayed) {
                // Ends the replayed batch like a real read, so the next handler flushes what it wrote.
                ctx.fireChannelReadComplete();
            }
        }
    }
}
