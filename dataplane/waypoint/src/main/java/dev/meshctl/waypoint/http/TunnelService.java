package dev.meshctl.waypoint.http;

import dev.meshctl.core.hbone.ConnectRequest;
import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.core.hbone.StreamService;
import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.RequestContext;
import dev.meshctl.waypoint.telemetry.RequestTelemetry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one accepted tunnel: detects (or is told) the protocol, then installs HTTP/1.1 or hardened HTTP/2 in
 * front of the request pipeline, or hands the bytes to the TCP forwarder.
 *
 * <pre>{@code
 * InboundDecision.serve(new TunnelService(context, declared, pipeline, telemetry, tcp))
 * }</pre>
 */
public final class TunnelService implements StreamService {

    private static final Logger log = LoggerFactory.getLogger(TunnelService.class);
    /** How long a tunnel of undeclared protocol may stay silent before it is treated as TCP (server-first). */
    static final long SNIFF_TIMEOUT_MILLIS = 1000;
    /** Idle HTTP tunnels are closed after this long without traffic. */
    static final int IDLE_SECONDS = 300;

    private final RequestContext context;
    private final Optional<Protocol> declared;
    private final HttpService pipeline;
    private final RequestTelemetry telemetry;
    private final BiConsumer<RequestContext, Channel> tcp;

    /**
     * Creates the service of one tunnel; {@code tcp} takes over a tunnel found to carry TCP (the channel then
     * delivers {@link ByteBuf}s through {@link StreamBytes}).
     */
    public TunnelService(RequestContext context, Optional<Protocol> declared, HttpService pipeline,
                         RequestTelemetry telemetry, BiConsumer<RequestContext, Channel> tcp) {
        this.context = Objects.requireNonNull(context, "context");
        this.declared = Objects.requireNonNull(declared, "declared");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.tcp = Objects.requireNonNull(tcp, "tcp");
    }

    @Override
    public void serve(ConnectRequest request, Http2StreamChannel stream) {
        stream.pipeline().addLast("bytes", new StreamBytes());
        if (declared.orElse(null) == Protocol.TCP) {
            tcp.accept(context, stream);
            return;
        }
        stream.pipeline().addLast("detect", new Detector());
        stream.config().setAutoRead(true);
    }

    private void install(ChannelPipeline p, String after, Protocol protocol) {
        switch (protocol) {
            case HTTP1 -> p.addAfter(after, "http", new HttpServerCodec(8192, DownstreamLimits.MAX_HEADER_BYTES, 8192))
                    .addAfter("http", "idle", new IdleStateHandler(0, 0, IDLE_SECONDS))
                    .addAfter("idle", "aggregate", new HttpObjectAggregator(DownstreamLimits.MAX_BODY_BYTES))
                    .addAfter("aggregate", "requests", new RequestHandler(pipeline, context, telemetry, protocol));
            // One handler serves every stream, by stream id: Http2MultiplexHandler takes a connection whose channel
            // is not the child of a ServerChannel (as this tunnel is not) for a client's, and then never serves the
            // peer's stream 1.
            case HTTP2 -> p.addAfter(after, "idle", new IdleStateHandler(0, 0, IDLE_SECONDS))
                    .addAfter("idle", "h2", DownstreamLimits.h2Server())
                    .addAfter("h2", "requests", new RequestHandler(pipeline, context, telemetry, protocol));
            case TCP -> { }
        }
    }

    /** Waits for enough bytes to tell the protocol, installs it and steps aside (passing the bytes on). */
    private final class Detector extends ByteToMessageDecoder {
        private ScheduledFuture<?> timer;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (declared.isEmpty()) {
                timer = ctx.executor().schedule(() -> decided(ctx, Protocol.TCP), SNIFF_TIMEOUT_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            Optional<Protocol> sniffed = ProtocolSniffer.sniff(in);
            if (sniffed.isEmpty()) {
                return;
            }
            Protocol p = sniffed.get();
            if (declared.isPresent() && p == Protocol.TCP) {
                p = declared.get(); // declared HTTP: let the codec answer 400 to garbage
            }
            decided(ctx, p);
        }

        private void decided(ChannelHandlerContext ctx, Protocol protocol) {
            if (timer != null) {
                timer.cancel(false);
            }
            if (ctx.isRemoved()) {
                return;
            }
            log.debug("tunnel from {} to {} carries {}", context.client(), context.destination().target(), protocol);
            if (protocol == Protocol.TCP) {
                ctx.channel().config().setAutoRead(false);
                tcp.accept(context, ctx.channel());
                ctx.pipeline().remove(this); // bytes read so far go on to the TCP forwarder's handlers
                return;
            }
            install(ctx.pipeline(), ctx.name(), protocol);
            ctx.pipeline().remove(this);
        }
    }
}
