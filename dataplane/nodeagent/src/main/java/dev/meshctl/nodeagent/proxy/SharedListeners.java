package dev.meshctl.nodeagent.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Lets a successor agent listen next to this one and lets this one step back: every server channel registered
 * through {@link #group()} listens with {@code SO_REUSEPORT} (set before it binds), and the listeners and the
 * connections they accepted are remembered, so that a hand-off can close the listeners alone and tell the HBONE
 * peers to move on, while established connections keep flowing.
 *
 * <p>It works as a view of the event loop group because the HBONE server binds its own listener: registration is
 * the one moment every listener and accepted connection passes through code the agent owns.
 */
final class SharedListeners implements InvocationHandler {

    private final EventLoopGroup delegate;
    private final EventLoopGroup view;
    private final boolean reusePort;
    private final Set<Channel> listeners = ConcurrentHashMap.newKeySet();
    private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();

    /** Wraps {@code delegate}; with {@code reusePort} (needs epoll) listeners share their port with a successor. */
    SharedListeners(EventLoopGroup delegate, boolean reusePort) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.reusePort = reusePort;
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = delegate.getClass(); c != null; c = c.getSuperclass()) {
            interfaces.addAll(List.of(c.getInterfaces()));
        }
        interfaces.add(EventLoopGroup.class);
        this.view = (EventLoopGroup) java.lang.reflect.Proxy.newProxyInstance(EventLoopGroup.class.getClassLoader(),
                interfaces.toArray(Class<?>[]::new), this);
    }

    /** Returns the group to build servers and clients on. */
    EventLoopGroup group() {
        return view;
    }

    /** Returns the group underneath, to shut it down. */
    EventLoopGroup delegate() {
        return delegate;
    }

    /** Returns how many listeners are open. */
    int listeners() {
        return listeners.size();
    }

    /** Closes every listener; accepted connections stay open. */
    void closeListeners() {
        for (Channel listener : List.copyOf(listeners)) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends a graceful GOAWAY (last stream 2^31-1, NO_ERROR, as RFC 9113 section 6.8 advises for a first GOAWAY) on
     * every accepted HBONE connection: peers open new tunnels (to the successor) for new streams and nothing in flight
     * is refused. Returns how many connections were told.
     */
    int goAwayHbone() {
        int told = 0;
        for (Channel ch : hboneConnections()) {
            ch.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
            told++;
        }
        return told;
    }

    /** Closes the accepted HBONE connections that carry no stream now (checked on their event loop). */
    void closeIdleHbone() {
        for (Channel ch : hboneConnections()) {
            ch.eventLoop().execute(() -> {
                Http2FrameCodec codec = ch.pipeline().get(Http2FrameCodec.class);
                if (codec != null && codec.connection().numActiveStreams() == 0) {
                    ch.close();
                }
            });
        }
    }

    /** Returns the accepted connections that speak HTTP/2 (HBONE); the capture listeners' connections do not. */
    List<Channel> hboneConnections() {
        return accepted.stream().filter(ch -> ch.pipeline().get(Http2FrameCodec.class) != null).toList();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "SharedListeners(" + delegate + ")";
            case "register":
                watch(args[0] instanceof ChannelPromise promise ? promise.channel() : (Channel) args[0]);
                break;
            default:
                break;
        }
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void watch(Channel ch) {
        if (ch instanceof ServerChannel) {
            if (reusePort && ch instanceof EpollServerSocketChannel) {
                ch.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
            }
            listeners.add(ch);
            ch.closeFuture().addListener(f -> listeners.remove(ch));
        } else if (ch.parent() instanceof ServerChannel) {
            accepted.add(ch);
            ch.closeFuture().addListener(f -> accepted.remove(ch));
        }
    }
}
