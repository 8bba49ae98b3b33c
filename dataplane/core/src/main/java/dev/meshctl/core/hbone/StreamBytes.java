package dev.meshctl.core.hbone;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns an HBONE stream channel into a byte pipe for the handlers after it: DATA frames in become {@link ByteBuf}s
 * (END_STREAM a {@link ChannelInputShutdownEvent}), {@link ByteBuf}s out become DATA frames, and a reset closes the
 * channel. Lets byte codecs (HTTP/1.1, HTTP/2) run inside the tunnel.
 */
public final class StreamBytes extends ChannelDuplexHandler {

    /** Marker written to end the outbound direction with an empty END_STREAM DATA frame. */
    public static final Object END_STREAM = new Object() {
        @Override
        public String toString() {
            return "StreamBytes.END_STREAM";
        }
    };

    private boolean inputEnded;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame data) {
            boolean end = data.isEndStream();
            ByteBuf content = data.content();
            if (content.isReadable()) {
                ctx.fireChannelRead(content);
            } else {
                content.release();
            }
            if (end) {
                endInput(ctx);
            }
        } else if (msg instanceof Http2HeadersFrame headers) {
            // Trailers have no meaning inside a byte tunnel; their END_STREAM does.
            if (headers.isEndStream()) {
                endInput(ctx);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            ctx.write(new DefaultHttp2DataFrame(buf), promise);
        } else if (msg == END_STREAM) {
            ctx.write(new DefaultHttp2DataFrame(true), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void endInput(ChannelHandlerContext ctx) {
        if (!inputEnded) {
            inputEnded = true;
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }
}
