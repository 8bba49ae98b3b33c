package dev.meshctl.core.hbone;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Names the Netty transport in use: native epoll when it loads (needed for {@code IP_TRANSPARENT}), else NIO.
 *
 * <p>Event loops and channels must come from the same transport, so everything HBONE creates asks here.
 */
public enum Transport {
    EPOLL,
    NIO;

    /** Returns epoll when the native library loads on this machine, else NIO. */
    public static Transport preferred() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Creates an event loop group of this transport with {@code threads} threads named {@code name-N}. */
    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /** Returns the server channel class of this transport. */
    public Class<? extends ServerSocketChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Returns the client channel class of this transport. */
    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
