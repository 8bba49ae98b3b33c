package dev.meshctl.core.hbone;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one inbound HBONE stream: checks it is a CONNECT, asks the {@link InboundHandler}, connects upstream
 * and answers 200 only once that succeeded, then hands the stream to an {@link HboneRelay}.
 *
 * <p>The stream is not read past its HEADERS until then, so no byte reaches the upstream before the decision.
 */
final class ConnectStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectStreamHandler.class);

    private final InboundHandler handler;
    private final Transport transport;
    private final int connectTimeoutMillis;
    private boolean seenHeaders;
    private ChannelFuture upstream;

    ConnectStreamHandler(InboundHandler handler, Transport transport, int connectTimeoutMillis) {
        this.handler = handler;
        this.transport = transport;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (seenHeaders) {
            ctx.fireChannelRead(msg); // early DATA: held until the relay starts
            return;
        }
        if (!(msg instanceof Http2HeadersFrame headersFrame)) {
            ReferenceCountUtil.release(msg);
            answer((Http2StreamChannel) ctx.channel(), 400, "stream did not start with HEADERS");
            return;
        }
        seenHeaders = true;
        Http2StreamChannel stream = (Http2StreamChannel) ctx.channel();
        Http2Headers headers = headersFrame.headers();
        if (!HttpMethod.CONNECT.asciiName().contentEquals(String.valueOf(headers.method()))) {
            answer(stream, 400, "method " + headers.method() + " is not CONNECT");
            return;
        }
        Optional<InetSocketAddress> target = Authority.parse(headers.authority());
        if (target.isEmpty() || headersFrame.isEndStream()) {
            answer(stream, 400, "CONNECT needs an :authority host:port and an open stream, got " + headers.authority());
            return;
        }
        Channel parent = stream.parent();
        String peer = parent.attr(ServerConnectionInitializer.PEER_IDENTITY).get();
        if (peer == null) {
            answer(stream, 401, "BUG: connection has no verified peer identity");
            return;
        }
        ConnectRequest request = new ConnectRequest(peer, (InetSocketAddress) parent.remoteAddress(),
                (InetSocketAddress) parent.localAddress(), target.get(), regularHeaders(headers));
        InboundDecision decision;
        try {
            decision = handler.decide(request);
        } catch (RuntimeException e) {
            log.error("BUG: inbound handler failed on {}", request, e);
            answer(stream, 503, "inbound handler failed");
            return;
        }
        if (decision instanceof InboundDecision.Reject reject) {
            answer(stream, reject.status(), reject.reason());
        } else if (decision instanceof InboundDecision.Connect connect) {
            connectUpstream(stream, request, connect);
        } else if (decision instanceof InboundDecision.Serve serve) {
            served(stream, request, serve.service());
        } else {
            answer(stream, 503, "BUG: unknown decision " + decision);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // Reset while the upstream connect was in flight: do not leave that connection behind.
        if (upstream != null) {
            upstream.channel().close();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HBONE stream {} failed", ctx.channel(), cause);
        ctx.close();
    }

    private void connectUpstream(Http2StreamChannel stream, ConnectRequest request, InboundDecision.Connect connect) {
        Bootstrap bootstrap = new Bootstrap()
                .group(stream.eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                // Without it an HTTP request written as header then body waits a delayed ACK (40 ms) for its body.
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        HboneRelay.prepare(ch);
                    }
                });
        if (connect.spoofSource().isPresent()) {
            if (transport != Transport.EPOLL) {
                notifyFailed(request, connect, new IllegalStateException("no epoll transport for IP_TRANSPARENT"));
                answer(stream, 503, "source IP spoofing needs the native epoll transport, which did not load");
                return;
            }
            bootstrap.option(EpollChannelOption.IP_TRANSPARENT, true)
                    .localAddress(new InetSocketAddress(connect.spoofSource().get(), 0));
        }
        upstream = bootstrap.connect(connect.upstream());
        upstream.addListener((ChannelFutureListener) f -> {
            if (!stream.isActive()) {
                f.channel().close();
            } else if (!f.isSuccess()) {
                notifyFailed(request, connect, f.cause());
                answer(stream, 503, "upstream " + connect.upstream() + " failed: " + f.cause().getMessage());
            } else {
                upstream = null; // owned by the relay from here on
                established(stream, f.channel(), request, connect);
            }
        });
    }

    private void notifyFailed(ConnectRequest request, InboundDecision.Connect connect, Throwable cause) {
        try {
            handler.upstreamFailed(request, connect, cause);
        } catch (RuntimeException e) {
            log.error("BUG: inbound handler failed to observe an upstream failure of {}", request, e);
        }
    }

    private void established(Http2StreamChannel stream, Channel upstreamChannel, ConnectRequest request,
                             InboundDecision.Connect connect) {
        Http2Headers ok = new DefaultHttp2Headers().status("200");
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(ok, false)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                upstreamChannel.close();
                stream.close();
                return;
            }
            HboneRelay relay = HboneRelay.splice(stream, upstreamChannel);
            stream.pipeline().remove(this);
            try {
                handler.relayed(request, connect, relay);
            } catch (RuntimeException e) {
                log.error("BUG: inbound handler failed to observe the relay of {}", request, e);
            }
        });
    }

    private void served(Http2StreamChannel stream, ConnectRequest request, StreamService service) {
        Http2Headers ok = new DefaultHttp2Headers().status("200");
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(ok, false)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                stream.close();
                return;
            }
            stream.pipeline().remove(this);
            try {
                service.serve(request, stream);
            } catch (RuntimeException e) {
                log.error("BUG: stream service failed on {}", request, e);
                stream.close();
                return;
            }
            // Replays what arrived with the CONNECT into the service's handlers.
            if (stream.pipeline().get("hbone-hold") != null) {
                stream.pipeline().remove("hbone-hold");
            }
        });
    }

    private static void answer(Http2StreamChannel stream, int status, String reason) {
        log.debug("HBONE stream from {} answered {}: {}", stream.parent().remoteAddress(), status, reason);
        Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(status));
        // Closing after END_STREAM resets the stream if the client has not ended its side.
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true)).addListener(ChannelFutureListener.CLOSE);
    }

    private static Map<String, String> regularHeaders(Http2Headers headers) {
        Map<String, String> out = new HashMap<>();
        headers.forEach(e -> {
            String name = e.getKey().toString();
            if (!name.startsWith(":")) {
                out.merge(name, e.getValue().toString(), (a, b) -> a + "," + b);
            }
        });
        return out;
    }
}
