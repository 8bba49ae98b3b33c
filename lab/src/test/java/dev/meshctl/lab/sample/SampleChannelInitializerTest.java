package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SampleChannelInitializerTest {

    private final SampleService service = new SampleService(SampleAppConfig.fromEnvironment(Map.of()));

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void startsAsHttp11() {
        EmbeddedChannel channel = new EmbeddedChannel(new SampleChannelInitializer(service, line -> { }));

        assertThat(channel.pipeline().get(HttpServerCodec.class)).isNotNull();
        assertThat(channel.pipeline().names()).contains("h1-aggregator", "h1-app");
        channel.finishAndReleaseAll();
    }

    @Test
    void switchesToHttp2OnThePreface() {
        EmbeddedChannel channel = new EmbeddedChannel(new SampleChannelInitializer(service, line -> { }));

        ByteBuf preface = Unpooled.buffer();
        preface.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
        preface.writeBytes(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
        channel.writeInbound(preface);
        channel.checkException();

        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.pipeline().names()).startsWith("h2-codec", "h2-multiplex")
                .doesNotContain("h1-aggregator", "h1-app");
        ByteBuf settings = channel.readOutbound();
        assertThat(settings.getByte(3)).as("frame type of the server's first frame").isEqualTo((byte) 4);
        settings.release();
        channel.finishAndReleaseAll();
    }
}
