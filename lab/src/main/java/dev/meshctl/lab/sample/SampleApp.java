package dev.meshctl.lab.sample;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs the sample application: one HTTP/1.1 + h2c server playing the role its configuration names.
 *
 * <pre>{@code
 * try (SampleApp app = SampleApp.start(SampleAppConfig.fromEnvironment(Map.of(
 *         "ROLE", "echo", "BIND_ADDRESS", "127.0.0.1", "PORT", "0")))) {
 *     URI uri = URI.create("http://127.0.0.1:" + app.port() + "/headers");
 *     ...
 * }
 * }</pre>
 */
public final class SampleApp implements AutoCloseable {

    private final SampleService service;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final String transport;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SampleApp(SampleService service, EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel,
                      String transport) {
        this.service = service;
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.transport = transport;
    }

    /** Binds the server and returns once it listens; access-log lines go to standard output. */
    public static SampleApp start(SampleAppConfig config) {
        return start(config, System.out::println);
    }

    /** Binds the server and returns once it listens, handing each access-log line to {@code accessLog}. */
    static SampleApp start(SampleAppConfig config, Consumer<String> accessLog) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(accessLog, "accessLog");
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sample-boss", true), io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("sample-worker", true), io);
        SampleService service = new SampleService(config);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channelFactory(epoll ? EpollServerSocketChannel::new : NioServerSocketChannel::new)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new SampleChannelInitializer(service, accessLog));
            ChannelFuture bind = bootstrap.bind(config.bindAddress(), config.port()).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                throw new IllegalStateException("sample app could not listen on " + config.bindAddress() + ":"
                        + config.port() + " (" + bind.cause() + "); pick a free PORT or check BIND_ADDRESS",
                        bind.cause());
            }
            service.prepareUpstreams();
            return new SampleApp(service, boss, workers, bind.channel(), epoll ? "epoll" : "nio");
        } catch (RuntimeException e) {
            shutdown(boss, workers);
            service.close();
            throw e;
        }
    }

    /** Returns the port the server listens on; useful after binding port 0. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes open connections and releases the threads; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        shutdown(boss, workers);
        service.close();
    }

    /** Runs the application configured by the environment until the process is killed. */
    public static void main(String[] args) {
        SampleAppConfig config;
        try {
            config = SampleAppConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("sample-app: " + e.getMessage());
            System.exit(2);
            return;
        }
        SampleApp app;
        try {
            app = start(config);
        } catch (IllegalStateException e) {
            System.err.println("sample-app: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sample-shutdown"));
        System.out.println("sample-app " + config.role().envName() + " " + config.service() + "/" + config.version()
                + " listening on " + config.bindAddress() + ":" + app.port() + " (HTTP/1.1, h2c; " + app.transport
                + ")");
        app.serverChannel.closeFuture().awaitUninterruptibly();
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
        // No quiet period: a pod being deleted or a test ending should not wait for idle time.
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.terminationFuture().awaitUninterruptibly();
    }

    /** Tells which socket transport is in use, {@code epoll} or {@code nio}. */
    String transport() {
        return transport;
    }

}
