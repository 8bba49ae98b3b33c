package dev.meshctl.waypoint.http;

import dev.meshctl.api.mesh.Port;
import java.util.Locale;
import java.util.Optional;

/** The protocol spoken inside a tunnel. */
public enum Protocol {
    HTTP1, HTTP2, TCP;

    /**
     * Returns the protocol a service port declares by {@code app_protocol} or name prefix ({@code http},
     * {@code http2}, {@code grpc}, {@code tcp}, as Istio reads them), or empty when it must be sniffed.
     */
    public static Optional<Protocol> declared(Port port) {
        String p = port.getAppProtocol().isEmpty() ? port.getName() : port.getAppProtocol();
        String name = p.toLowerCase(Locale.ROOT);
        int dash = name.indexOf('-');
        String prefix = dash < 0 ? name : name.substring(0, dash);
        return switch (prefix) {
            case "http", "https-upgrade" -> Optional.of(HTTP1);
            case "http2", "grpc", "grpc-web", "h2c" -> Optional.of(HTTP2);
            case "tcp", "tls", "mongo", "mysql", "redis" -> Optional.of(TCP);
            default -> Optional.empty();
        };
    }

    /** Returns the {@code request_protocol} label. */
    public String label() {
        return switch (this) {
            case HTTP1 -> "http";
            case HTTP2 -> "http2";
            case TCP -> "tcp";
        };
    }
}
