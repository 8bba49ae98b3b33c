package dev.meshctl.nodeagent.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/** Closes TCP connections with a RST, the answer a denied or refused client gets (curl exits 56). */
public final class Resets {

    private Resets() {
    }

    /** Resets {@code channel}: {@code SO_LINGER 0}, then close. */
    public static void reset(Channel channel) {
        if (channel == null) {
            return;
        }
        channel.eventLoop().execute(() -> {
            if (channel.isOpen()) {
                try {
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                } catch (RuntimeException e) {
                    // The socket is already gone; a plain close is all that is left to do.
                }
            }
            channel.close();
        });
    }
}
