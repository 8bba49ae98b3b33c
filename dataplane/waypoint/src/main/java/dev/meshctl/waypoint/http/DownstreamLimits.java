package dev.meshctl.waypoint.http;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.HttpToHttp2ConnectionHandler;
import io.netty.handler.codec.http2.InboundHttp2ToHttpAdapterBuilder;

/**
 * Limits on what a downstream client may send: the client is behind another proxy but is not trusted. HTTP/2 gets
 * bounded streams, header lists and request bodies (an oversized body resets its stream), and GOAWAY on rapid reset,
 * CONTINUATION floods, empty-DATA floods and queued control frames.
 */
public final class DownstreamLimits {

    /** Concurrent HTTP/2 streams per tunnel. */
    public static final int MAX_CONCURRENT_STREAMS = 100;
    /** Largest header block, in bytes (HTTP/1.1 request line + headers, or an HTTP/2 header list). */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Largest request or response body buffered, in bytes. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** RST_STREAM frames tolerated per window (rapid reset, CVE-2023-44487). */
    static final int MAX_RST_FRAMES = 200;
    static final int RST_WINDOW_SECONDS = 30;
    /** CONTINUATION frames with small payloads tolerated in one header block (CVE-2024-27316 style floods). */
    static final int MAX_SMALL_CONTINUATION_FRAMES = 16;

    private DownstreamLimits() {
    }

    /**
     * Returns a hardened server-side HTTP/2 connection handler that reads each request as a
     * {@link io.netty.handler.codec.http.FullHttpRequest} carrying its stream id
     * ({@code x-http2-stream-id}) and writes a {@link io.netty.handler.codec.http.FullHttpResponse} carrying the
     * same id back on that stream.
     */
    static Http2ConnectionHandler h2Server() {
        return new ServerBuilder().build();
    }

    /** Exposes the builder's protected limits (small CONTINUATION frames, queued control frames). */
    private static final class ServerBuilder
            extends AbstractHttp2ConnectionHandlerBuilder<Http2ConnectionHandler, ServerBuilder> {

        ServerBuilder() {
            Http2Connection connection = new DefaultHttp2Connection(true);
            connection(connection);
            // The adapter's own limit is a connection error; StreamBodyLimit resets just the stream first.
            frameListener(new StreamBodyLimit(connection, new InboundHttp2ToHttpAdapterBuilder(connection)
                    .maxContentLength(MAX_BODY_BYTES).propagateSettings(false).validateHttpHeaders(true).build(),
                    MAX_BODY_BYTES));
            initialSettings(Http2Settings.defaultSettings()
                    .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                    .maxHeaderListSize(MAX_HEADER_BYTES));
            validateHeaders(true);
            decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS);
            encoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS);
            decoderEnforceMaxConsecutiveEmptyDataFrames(2);
            encoderEnforceMaxQueuedControlFrames(10_000);
            decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATION_FRAMES);
        }

        @Override
        protected Http2ConnectionHandler build() {
            return super.build();
        }

        @Override
        protected Http2ConnectionHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                               Http2Settings settings) {
            return new Handler(decoder, encoder, settings);
        }
    }

    /** Converts responses to HTTP/2 frames on the stream their {@code x-http2-stream-id} names. */
    private static final class Handler extends HttpToHttp2ConnectionHandler {
        Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            super(decoder, encoder, settings, true);
        }
    }
}
