package dev.meshctl.core.hbone;

import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * Serves an accepted HBONE stream in process instead of relaying it to a TCP upstream, e.g. a waypoint speaking
 * HTTP on the tunnel's bytes.
 */
@FunctionalInterface
public interface StreamService {

    /**
     * Installs handlers on {@code stream} (after the 200 was sent), on the stream's event loop. The stream does not
     * auto-read; frames that arrived early are held and replayed into the handlers added here once this returns.
     * Add {@link StreamBytes} first to see the tunnel as plain bytes.
     */
    void serve(ConnectRequest request, Http2StreamChannel stream);
}
