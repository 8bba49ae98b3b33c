package dev.meshctl.core.hbone;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.Objects;

/**
 * An established HBONE stream (the server answered 200): a byte pipe to the destination, not yet read.
 *
 * <p>Use {@link #splice(Channel)} to relay a TCP connection through it. Frames that arrived with the 200 are
 * held by a handler named {@code hbone-hold} until the splice replays them.
 */
public final class HboneStream {

    private final Http2StreamChannel channel;
    private final HboneRequest request;

    HboneStream(Http2StreamChannel channel, HboneRequest request) {
        this.channel = channel;
        this.request = request;
    }

    /** Returns the HTTP/2 stream channel. */
    public Http2StreamChannel channel() {
        return channel;
    }

    /** Returns the request this stream was opened for. */
    public HboneRequest request() {
        return request;
    }

    /** Relays {@code tcp} through this stream until both ends close. */
    public HboneRelay splice(Channel tcp) {
        return HboneRelay.splice(channel, Objects.requireNonNull(tcp, "tcp"));
    }

    /** Resets the stream (if still open). */
    public void close() {
        channel.close();
    }
}
