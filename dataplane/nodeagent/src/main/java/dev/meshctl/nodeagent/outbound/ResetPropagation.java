package dev.meshctl.nodeagent.outbound;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2ResetFrame;

/**
 * Turns a reset HBONE stream into a reset TCP connection: the client sees a RST (curl exits 56), not a clean end,
 * when the destination denied or dropped the connection mid-way.
 */
final class ResetPropagation extends ChannelInboundHandlerAdapter {

    private final Channel client;

    ResetPropagation(Channel client) {
        this.client = client;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame) {
            client.eventLoop().execute(() -> {
                if (client.isOpen()) {
                    client.config().setOption(ChannelOption.SO_LINGER, 0);
                    client.close();
                }
            });
        }
        ctx.fireUserEventTriggered(evt);
    }
}
