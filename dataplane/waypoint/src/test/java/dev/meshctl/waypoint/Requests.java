package dev.meshctl.waypoint;

import dev.meshctl.core.tls.TestPki;
import dev.meshctl.api.mesh.Port;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Builds requests for pure tests. */
final class Requests {

    private Requests() {
    }

    static ProxyRequest get(String uri) {
        return of("GET", uri, new DefaultHttpHeaders());
    }

    static ProxyRequest of(String method, String uri, HttpHeaders headers) {
        Destination d = new Destination(new InetSocketAddress("10.96.0.10", 9080), Optional.of(Mesh.key("reviews")),
                Optional.empty(), "default", "reviews", Port.newBuilder().setServicePort(9080).setTargetPort(9080)
                .build());
        RequestContext c = new RequestContext(TestPki.spiffe("default", "curl"),
                new InetSocketAddress("10.244.1.5", 40000), d);
        return new ProxyRequest(method, uri, "reviews:9080", headers, new byte[0], c);
    }
}
