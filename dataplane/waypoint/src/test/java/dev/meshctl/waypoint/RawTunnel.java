package dev.meshctl.waypoint;

import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.StreamBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Speaks raw HTTP/2 frames (prior knowledge) inside one HBONE tunnel with none of a real client's manners, and
 * records every frame the waypoint sends back, so tests can drive abuse the waypoint must refuse.
 */
final class RawTunnel implements AutoCloseable {

    /** A frame (or the tunnel's end) seen from the waypoint. */
    record Event(Kind kind, int streamId, long code, Http2Headers headers, String data, boolean endStream) {
    }

    enum Kind { HEADERS, DATA, RST_STREAM, GOAWAY, WINDOW_UPDATE, CLOSED }

    final HboneStream stream;
    /** Everything seen so far, in order. */
    final List<Event> seen = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final Frames frames = new Frames();
    private final ChannelHandlerContext ctx;

    RawTunnel(HboneStream stream) throws Exception {
        this.stream = Objects.requireNonNull(stream, "stream");
        stream.channel().eventLoop().submit(() -> {
            stream.channel().pipeline().addLast(new StreamBytes(), frames);
            stream.channel().pipeline().remove("hbone-hold");
            stream.channel().config().setAutoRead(true);
        }).sync();
        ctx = stream.channel().pipeline().context(frames);
    }

    /** Runs {@code writes} on the tunnel's event loop, then flushes. */
    void write(Consumer<ChannelHandlerContext> writes) throws InterruptedException {
        stream.channel().eventLoop().submit(() -> {
            writes.accept(ctx);
            ctx.flush();
        }).await(10, TimeUnit.SECONDS);
    }

    /** Sends the connection preface and empty SETTINGS. */
    RawTunnel preface() throws InterruptedException {
        write(c -> {
            c.write(Http2CodecUtil.connectionPrefaceBuf());
            writer.writeSettings(c, new Http2Settings(), c.newPromise());
        });
        return this;
    }

    void headers(int id, Http2Headers headers, boolean endStream) throws InterruptedException {
        write(c -> writer.writeHeaders(c, id, headers, 0, endStream, c.newPromise()));
    }

    void data(int id, byte[] bytes, boolean endStream) throws InterruptedException {
        write(c -> writer.writeData(c, id, Unpooled.wrappedBuffer(bytes), 0, endStream, c.newPromise()));
    }

    void reset(int id) throws InterruptedException {
        write(c -> writer.writeRstStream(c, id, Http2Error.CANCEL.code(), c.newPromise()));
    }

    /**
     * Sends {@code total} bytes of DATA on stream {@code id} within the waypoint's flow-control windows (the
     * default 65,535 bytes, as it advertises), ending the stream; stops early once the stream or tunnel ends.
     */
    void body(int id, int total, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long connectionWindow = Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        long streamWindow = Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        int sent = 0;
        int read = 0;
        while (sent < total) {
            for (; read < seen.size(); read++) {
                Event e = seen.get(read);
                if (e.kind() == Kind.WINDOW_UPDATE && e.streamId() == 0) {
                    connectionWindow += e.code();
                } else if (e.kind() == Kind.WINDOW_UPDATE && e.streamId() == id) {
                    streamWindow += e.code();
                } else if (e.kind() == Kind.GOAWAY || e.kind() == Kind.CLOSED
                        || e.kind() == Kind.RST_STREAM && e.streamId() == id) {
                    return;
                }
            }
            int n = (int) Math.min(Math.min(connectionWindow, streamWindow), Math.min(16_384, total - sent));
            if (n > 0) {
                data(id, new byte[n], sent + n == total);
                sent += n;
                connectionWindow -= n;
                streamWindow -= n;
            } else if (pending.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) == null) {
                throw new AssertionError("no WINDOW_UPDATE within " + seconds + " s after " + sent + " bytes");
            }
        }
    }

    /** Opens {@code count} streams from {@code firstId} and resets each right away, in one write. */
    void rapidReset(int firstId, int count, Http2Headers headers) throws InterruptedException {
        write(c -> {
            for (int i = 0, id = firstId; i < count; i++, id += 2) {
                writer.writeHeaders(c, id, headers, 0, false, c.newPromise());
                writer.writeRstStream(c, id, Http2Error.CANCEL.code(), c.newPromise());
            }
        });
    }

    /** Writes a HEADERS frame without END_HEADERS, then {@code count} one-byte CONTINUATION frames. */
    void continuationFlood(int id, int count) throws InterruptedException {
        write(c -> {
            ByteBuf first = c.alloc().buffer();
            Http2CodecUtil.writeFrameHeader(first, 1, Http2FrameTypes.HEADERS, new Http2Flags().endOfStream(true), id);
            first.writeByte(0x82); // indexed :method GET
            c.write(first);
            for (int i = 0; i < count; i++) {
                ByteBuf frame = c.alloc().buffer(10);
                Http2CodecUtil.writeFrameHeader(frame, 1, Http2FrameTypes.CONTINUATION, new Http2Flags(), id);
                frame.writeByte(0x84); // indexed :path /
                c.write(frame);
            }
        });
    }

    /** Returns the next event matching {@code match}, or fails after {@code seconds}. */
    Event await(Predicate<Event> match, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Event e : seen) {
            if (match.test(e)) {
                return e;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError("no matching frame within " + seconds + " s; saw " + seen);
            }
            if (match.test(e)) {
                return e;
            }
        }
    }

    /** Returns whether the waypoint ended the tunnel within {@code seconds}. */
    boolean closedWithin(long seconds) throws InterruptedException {
        return stream.channel().closeFuture().await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        stream.close();
    }

    private void record(Event e) {
        seen.add(e);
        pending.add(e);
    }

    /** Parses the waypoint's bytes into frames; acknowledges its SETTINGS. */
    private final class Frames extends ByteToMessageDecoder {
        private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(true);

        @Override
        protected void decode(ChannelHandlerContext c, ByteBuf in, List<Object> out) throws Http2Exception {
            reader.readFrame(c, in, new Http2FrameAdapter() {
                @Override
                public void onHeadersRead(ChannelHandlerContext c2, int streamId, Http2Headers headers, int padding,
                                          boolean endStream) {
                    record(new Event(Kind.HEADERS, streamId, 0, headers, "", endStream));
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext c2, int streamId, Http2Headers headers,
                                          int streamDependency, short weight, boolean exclusive, int padding,
                                          boolean endStream) {
                    onHeadersRead(c2, streamId, headers, padding, endStream);
                }

                @Override
                public int onDataRead(ChannelHandlerContext c2, int streamId, ByteBuf data, int padding,
                                      boolean endOfStream) {
                    record(new Event(Kind.DATA, streamId, 0, null, data.toString(StandardCharsets.ISO_8859_1),
                            endOfStream));
                    return data.readableBytes() + padding;
                }

                @Override
                public void onRstStreamRead(ChannelHandlerContext c2, int streamId, long errorCode) {
                    record(new Event(Kind.RST_STREAM, streamId, errorCode, null, "", true));
                }

                @Override
                public void onGoAwayRead(ChannelHandlerContext c2, int lastStreamId, long errorCode, ByteBuf debug) {
                    record(new Event(Kind.GOAWAY, lastStreamId, errorCode, null,
                            debug.toString(StandardCharsets.UTF_8), true));
                }

                @Override
                public void onWindowUpdateRead(ChannelHandlerContext c2, int streamId, int increment) {
                    record(new Event(Kind.WINDOW_UPDATE, streamId, increment, null, "", false));
                }

                @Override
                public void onSettingsRead(ChannelHandlerContext c2, Http2Settings settings) {
                    writer.writeSettingsAck(c2, c2.newPromise());
                    c2.flush();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext c) throws Exception {
            record(new Event(Kind.CLOSED, 0, 0, null, "", true));
            super.channelInactive(c);
        }
    }
}
