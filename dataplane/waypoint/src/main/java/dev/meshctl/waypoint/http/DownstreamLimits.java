package dev.meshctl.waypoint.http;

import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Limits on what a downstream client may send: the client is behind another proxy but is not trusted. HTTP/2 gets
 * bounded streams and header lists, and GOAWAY on rapid reset, CONTINUATION floods, empty-DATA floods and queued
 * control frames.
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

    private DownstreamLimits() {
    }

    /** Returns a hardened server-side HTTP/2 codec. */
    static Http2FrameCodec h2Server() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_BYTES))
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(2)
                .encoderEnforceMaxQueuedControlFrames(10_000)
                .decoderEnforceMaxSmallContinuationFrames(16)
                .build();
    }
}
