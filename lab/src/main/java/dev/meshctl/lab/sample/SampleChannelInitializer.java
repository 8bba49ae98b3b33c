package dev.meshctl.lab.sample;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds a connection's pipeline: HTTP/1.1 by default, switching to HTTP/2 on an h2c upgrade request or when
 * the client opens with the HTTP/2 preface (prior knowledge). Each HTTP/2 stream gets its own child channel
 * whose frames are converted to the same aggregated requests HTTP/1.1 produces. After an upgrade the HTTP/1.1
 * handlers stay at the end of the pipeline, idle: the multiplexer hands them no HTTP messages.
 */
final class SampleChannelInitializer extends ChannelInitializer<Channel> {

    /** Bounds request bodies; the sample app never needs large ones. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private static final String H1_AGGREGATOR = "h1-aggregator";
    private static final String H1_APP = "h1-app";

    private final SampleService service;
    private final Consumer<String> accessLog;
    private final ChannelInitializer<Http2StreamChannel> streamInitializer;

    SampleChannelInitializer(SampleService service, Consumer<String> accessLog) {
        this.service = Objects.requireNonNull(service, "service");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.streamInitializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(
                        new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(MAX_BODY_BYTES),
                        new SampleHttpHandler(service, SampleHttpHandler.HTTP_2, accessLog));
            }
        };
    }

    @Override
    protected void initChannel(Channel channel) {
        HttpServerCodec http1 = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(streamInitializer))
                        : null,
                MAX_BODY_BYTES);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade, new PriorKnowledgeInstaller()));
        pipeline.addLast(H1_AGGREGATOR, new HttpObjectAggregator(MAX_BODY_BYTES));
        pipeline.addLast(H1_APP, new SampleHttpHandler(service, SampleHttpHandler.HTTP_1_1, accessLog));
    }

    /**
     * Replaces itself with the HTTP/2 frame codec and stream multiplexer once the client sent the preface, and
     * drops the HTTP/1.1 handlers, which would never see a request on this connection.
     */
    private final class PriorKnowledgeInstaller extends ChannelHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline pipeline = ctx.pipeline();
            // The multiplexer looks up the frame codec when added, so the codec goes in first.
            pipeline.replace(this, "h2-codec", Http2FrameCodecBuilder.forServer().build());
            pipeline.addAfter("h2-codec", "h2-multiplex", new Http2MultiplexHandler(streamInitializer));
            removeIfPresent(pipeline, H1_AGGREGATOR);
            removeIfPresent(pipeline, H1_APP);
        }
    }

    private static void removeIfPresent(ChannelPipeline pipeline, String name) {
        ChannelHandler handler = pipeline.get(name);
        if (handler != null) {
            pipeline.remove(handler);
        }
    }
}
