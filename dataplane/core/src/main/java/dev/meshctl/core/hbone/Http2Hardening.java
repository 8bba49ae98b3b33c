package dev.meshctl.core.hbone;

import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Builds HTTP/2 frame codecs with HBONE's limits: the peer is another mesh proxy but is not trusted to behave.
 */
final class Http2Hardening {

    /** Streams per connection, advertised by the server and used by the client pool. */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** Largest header block accepted, in bytes. */
    static final int MAX_HEADER_LIST_SIZE = 16 * 1024;
    /** RST_STREAM frames tolerated per window before GOAWAY (rapid reset, CVE-2023-44487). */
    static final int MAX_RST_FRAMES = 200;
    static final int RST_WINDOW_SECONDS = 30;
    /** Consecutive empty DATA frames tolerated (CVE-2019-9518). */
    static final int MAX_EMPTY_DATA_FRAMES = 2;
    /** Control frames (PING/SETTINGS acks, RST) queued for a slow reader before closing (CVE-2019-9512). */
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

    private Http2Hardening() {
    }

    /** Returns a server codec advertising the stream and header limits. */
    static Http2FrameCodec server() {
        return harden(Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST_SIZE))
                // CONNECT carries only :method and :authority (RFC 9113 section 8.5).
                .validateRequiredPseudoHeaders(false))
                .build();
    }

    /** Returns a client codec that refuses server push and bounds what the server may make it do. */
    static Http2FrameCodec client() {
        return harden(Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings()
                        .pushEnabled(false)
                        .maxConcurrentStreams(0)
                        .maxHeaderListSize(MAX_HEADER_LIST_SIZE)))
                .build();
    }

    private static Http2FrameCodecBuilder harden(Http2FrameCodecBuilder builder) {
        return builder
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_EMPTY_DATA_FRAMES)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .decoderEnforceMaxSmallContinuationFrames(16);
    }
}
