package dev.meshctl.waypoint.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.Objects;

/**
 * Resets an HTTP/2 stream whose request body outgrows a limit, before Netty's HTTP/2-to-HTTP adapter sees it: the
 * adapter would fail the whole connection, ending every other request of the tunnel with it.
 */
final class StreamBodyLimit extends Http2FrameListenerDecorator {

    private final Http2Connection connection;
    private final Http2Connection.PropertyKey received;
    private final long maxBytes;

    /** Wraps {@code next}, allowing at most {@code maxBytes} of DATA per stream of {@code connection}. */
    StreamBodyLimit(Http2Connection connection, Http2FrameListener next, long maxBytes) {
        super(next);
        this.connection = Objects.requireNonNull(connection, "connection");
        this.received = connection.newKey();
        this.maxBytes = maxBytes;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
            throws Http2Exception {
        Http2Stream stream = connection.stream(streamId);
        if (stream != null) {
            long[] total = stream.getProperty(received);
            if (total == null) {
                total = new long[1];
                stream.setProperty(received, total);
            }
            total[0] += data.readableBytes();
            if (total[0] > maxBytes) {
                throw Http2Exception.streamError(streamId, Http2Error.CANCEL,
                        "request body of stream %d is over the %d byte limit", streamId, maxBytes);
            }
        }
        return super.onDataRead(ctx, streamId, data, padding, endOfStream);
    }
}
