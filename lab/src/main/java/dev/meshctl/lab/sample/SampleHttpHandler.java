package dev.meshctl.lab.sample;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Adapts aggregated HTTP requests (HTTP/1.1 connections, or single HTTP/2 streams after conversion) to the
 * {@link SampleService}, and writes its answers back in request order. One instance per channel.
 */
final class SampleHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String HTTP_1_1 = "HTTP/1.1";
    static final String HTTP_2 = "HTTP/2";

    private final SampleService service;
    private final String protocol;
    private final Consumer<String> accessLog;
    /** Completes when the previous answer was handed to the event loop; HTTP/1.1 pipelining needs that order. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    private boolean closing;

    SampleHttpHandler(SampleService service, String protocol, Consumer<String> accessLog) {
        this.service = Objects.requireNonNull(service, "service");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closing) {
            return;
        }
        long started = System.nanoTime();
        boolean http2 = HTTP_2.equals(protocol);
        boolean malformed = request.decoderResult().isFailure();
        boolean keepAlive = !malformed && (http2 || HttpUtil.isKeepAlive(request));
        closing = !keepAlive;
        String client = clientAddress(ctx.channel());
        String method = request.method().name();
        boolean head = HttpMethod.HEAD.equals(request.method());
        HttpVersion version = request.protocolVersion();
        String path = malformed ? request.uri() : pathOf(request.uri());

        CompletableFuture<SampleResponse> answer;
        if (malformed) {
            answer = CompletableFuture.completedFuture(SampleResponse.text(400,
                    "malformed request: " + request.decoderResult().cause() + "\n"));
        } else {
            List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size());
            request.headers().forEach(headers::add);
            answer = answer(new SampleRequest(method, path, protocol, client, headers), ctx);
        }

        previous = previous
                .thenCompose(ignored -> answer.exceptionally(SampleHttpHandler::internalError))
                .thenAccept(response -> ctx.executor().execute(() -> {
                    ChannelFuture written = ctx.writeAndFlush(toHttp(response, head, http2, keepAlive, version));
                    written.addListener(done -> accessLog.accept(AccessLog.line(method, path, response.status(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), client, protocol)));
                    if (!keepAlive) {
                        written.addListener(ChannelFutureListener.CLOSE);
                    }
                }));
    }

    private CompletableFuture<SampleResponse> answer(SampleRequest request, ChannelHandlerContext ctx) {
        try {
            return service.handle(request, ctx.executor());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are the client's choice; anything else is worth a line when a demo misbehaves.
        if (!(cause instanceof IOException)) {
            System.err.println("sample-app: closing " + protocol + " connection from " + clientAddress(ctx.channel())
                    + ": " + cause);
        }
        ctx.close();
    }

    private static FullHttpResponse toHttp(SampleResponse response, boolean head, boolean http2, boolean keepAlive,
                                           HttpVersion requestVersion) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
        boolean bodiless = response.status() == 204 || response.status() == 304;
        ByteBuf content = head || bodiless ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body());
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        if (!bodiless) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        }
        if (!http2) {
            HttpUtil.setKeepAlive(http.headers(), requestVersion, keepAlive);
        }
        return http;
    }

    private static SampleResponse internalError(Throwable failure) {
        return SampleResponse.text(500, "sample app failed to answer: " + failure + "\n");
    }

    /** Returns the decoded path of an origin-form ({@code /a?b}) or absolute-form ({@code http://h/a}) target. */
    static String pathOf(String uri) {
        String target = uri;
        if (!uri.startsWith("/")) {
            try {
                String raw = URI.create(uri).getRawPath();
                target = raw == null || raw.isEmpty() ? "/" : raw;
            } catch (IllegalArgumentException e) {
                return uri;
            }
        }
        return new QueryStringDecoder(target).path();
    }

    /** Formats the peer the server saw as {@code ip:port}; a stream reports its connection's peer. */
    static String clientAddress(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        SocketAddress address = connection.remoteAddress();
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
