package dev.meshctl.core.hbone;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One client HTTP/2 connection carrying HBONE streams for a single source identity to a single destination.
 *
 * <p>Streams are counted from reservation until their channel closes, so the pool never puts more streams on a
 * connection than the server allows, and idle retirement cannot race a new reservation.
 */
public final class HboneConnection {

    private final InetSocketAddress destination;
    private final int maxStreams;
    private final Duration streamTimeout;
    private final CompletableFuture<Channel> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Http2FrameCodec codec;
    private int inUse;
    private boolean retired;

    HboneConnection(InetSocketAddress destination, int maxStreams, Duration streamTimeout) {
        this.destination = destination;
        this.maxStreams = maxStreams;
        this.streamTimeout = streamTimeout;
        ready.whenComplete((ch, e) -> {
            if (e != null) {
                markClosed();
            } else {
                ch.closeFuture().addListener(f -> markClosed());
            }
        });
    }

    /** Returns the destination ({@code ip:15008}) this connection goes to. */
    public InetSocketAddress destination() {
        return destination;
    }

    /** Returns the streams open or being opened on this connection. */
    public synchronized int activeStreams() {
        return inUse;
    }

    /** Returns a future completed when the connection is closed or failed to open. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Opens a stream for {@code request} on this connection, failing if it is full or closed. */
    public CompletableFuture<HboneStream> openStream(HboneRequest request) {
        if (!tryReserve()) {
            if (ready.isCompletedExceptionally()) {
                return ready.thenApply(ch -> null); // carries why the connection failed
            }
            return CompletableFuture.failedFuture(new HboneException(HboneException.NO_STATUS,
                    "HBONE connection to " + destination + " is closed or has no free stream"));
        }
        return openReserved(request);
    }

    /** Closes the connection (GOAWAY first); open streams are reset. */
    public void close() {
        synchronized (this) {
            retired = true;
        }
        ready.thenAccept(Channel::close);
        ready.completeExceptionally(new HboneException(HboneException.NO_STATUS, "HBONE connection closed"));
    }

    synchronized boolean tryReserve() {
        if (retired || closed.isDone()) {
            return false;
        }
        Http2FrameCodec c = codec;
        if (c != null && c.connection().goAwayReceived()) {
            // The server is going away (a node agent handing off to its successor): streams in flight finish
            // here, new ones go to a new connection, which reaches the successor.
            retired = true;
            return false;
        }
        // Before SETTINGS arrive the peer's limit is unknown; ours (100) is what servers here advertise.
        int limit = c == null ? maxStreams : Math.min(maxStreams, c.connection().local().maxActiveStreams());
        if (inUse >= limit) {
            return false;
        }
        inUse++;
        return true;
    }

    synchronized void release() {
        inUse--;
    }

    synchronized boolean isIdle() {
        return inUse == 0;
    }

    synchronized boolean retireIfIdle() {
        if (inUse == 0) {
            retired = true;
        }
        return retired;
    }

    CompletableFuture<HboneStream> openReserved(HboneRequest request) {
        CompletableFuture<HboneStream> result = new CompletableFuture<>();
        ready.whenComplete((ch, e) -> {
            if (e != null) {
                release();
                result.completeExceptionally(e);
            } else {
                openOn(ch, request, result);
            }
        });
        return result;
    }

    private void openOn(Channel parent, HboneRequest request, CompletableFuture<HboneStream> result) {
        new Http2StreamChannelBootstrap(parent)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ConnectResponseHandler(request, result, streamTimeout))
                .open()
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        release();
                        result.completeExceptionally(new HboneException("cannot open an HBONE stream to "
                                + destination, f.cause()));
                        return;
                    }
                    Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                    HboneRelay.holdStream(stream);
                    stream.closeFuture().addListener(c -> release());
                    Http2Headers headers = new DefaultHttp2Headers().method("CONNECT").authority(request.authority());
                    request.forwardedHeader().ifPresent(v -> headers.set("forwarded", v));
                    request.baggage().ifPresent(v -> headers.set("baggage", v));
                    stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false))
                            .addListener((ChannelFutureListener) w -> {
                                if (!w.isSuccess()) {
                                    result.completeExceptionally(new HboneException("cannot send CONNECT "
                                            + request.authority() + " to " + destination, w.cause()));
                                    w.channel().close();
                                }
                            });
                    stream.read();
                });
    }

    /** Installs HTTP/2 on the TLS channel and marks the connection ready. */
    void established(Channel channel, ConnectionKeepaliveFactory keepalive) {
        Http2FrameCodec c = Http2Hardening.client();
        channel.pipeline().addLast("h2", c)
                .addLast("keepalive", keepalive.create(new ConnectionKeepalive.IdleGate() {
                    @Override
                    public boolean isIdle() {
                        return HboneConnection.this.isIdle();
                    }

                    @Override
                    public boolean retire() {
                        return retireIfIdle();
                    }
                }))
                .addLast("streams", new Http2MultiplexHandler(RefuseServerStreams.INSTANCE));
        Http2Hardening.widenConnectionWindow(channel);
        codec = c;
        if (!ready.complete(channel)) {
            channel.close(); // closed by the owner while the handshake ran
        }
    }

    /** Fails the connection before it became ready. */
    void failed(HboneException e) {
        ready.completeExceptionally(e);
    }

    private void markClosed() {
        synchronized (this) {
            retired = true;
        }
        closed.complete(null);
    }

    /** Builds the keepalive handler of a connection. */
    @FunctionalInterface
    interface ConnectionKeepaliveFactory {
        ConnectionKeepalive create(ConnectionKeepalive.IdleGate gate);
    }

    /** Servers never open streams to an HBONE client. */
    @ChannelHandler.Sharable
    private static final class RefuseServerStreams extends ChannelInboundHandlerAdapter {
        static final RefuseServerStreams INSTANCE = new RefuseServerStreams();

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}
