package dev.meshctl.core.hbone;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
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
    /**
     * RST_STREAM frames tolerated per window before GOAWAY (rapid reset, CVE-2023-44487): 100 a second. One HBONE
     * connection carries every connection between two identities on two nodes, and each client that aborts its
     * connection resets a stream; a tighter bound would drop a busy, healthy tunnel with all its streams, while a
     * rapid-reset attack sends thousands a second.
     */
    static final int MAX_RST_FRAMES = 1000;
    static final int RST_WINDOW_SECONDS = 10;
    /** Consecutive empty DATA frames tolerated (CVE-2019-9518). */
    static final int MAX_EMPTY_DATA_FRAMES = 2;
    /** Control frames (PING/SETTINGS acks, RST) queued for a slow reader before closing (CVE-2019-9512). */
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
    /**
     * Flow-control window of each stream, in bytes. HTTP/2's default (64 KiB) caps a tunnel at one window per round
     * trip through both relays; 1 MiB keeps a LAN link busy. It also bounds what one stream buffers when its relay
     * parks, as frames are only consumed when the relay reads them.
     */
    static final int STREAM_WINDOW = 1024 * 1024;
    /** Flow-control window of a whole connection, in bytes: what all its streams may have in flight together. */
    static final int CONNECTION_WINDOW = 4 * 1024 * 1024;

    private Http2Hardening() {
    }

    /** Returns a server codec advertising the stream and header limits. */
    static Http2FrameCodec server() {
        return harden(Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .initialWindowSize(STREAM_WINDOW)
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
                        .initialWindowSize(STREAM_WINDOW)
                        .maxHeaderListSize(MAX_HEADER_LIST_SIZE)))
                .build();
    }

    /**
     * Widens the connection window of a channel whose codec was just added from 64 KiB to {@link #CONNECTION_WINDOW}
     * (SETTINGS cannot: the connection window only grows by WINDOW_UPDATE).
     */
    static void widenConnectionWindow(Channel channel) {
        channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(
                CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
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
