package dev.meshctl.waypoint.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recognizes the protocol from the first bytes of a tunnel: the HTTP/2 connection preface, or an HTTP/1.x request
 * line ({@code METHOD SP target SP HTTP/1.x CRLF}); anything else is TCP. Pure: it only reads the buffer.
 */
public final class ProtocolSniffer {

    /** The HTTP/2 client connection preface. */
    static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Longest request line looked at before deciding it is not HTTP. */
    static final int MAX_REQUEST_LINE = 8192;

    private ProtocolSniffer() {
    }

    /** Returns the protocol, or empty when more bytes are needed to tell. */
    public static Optional<Protocol> sniff(ByteBuf in) {
        int n = in.readableBytes();
        int start = in.readerIndex();
        if (n == 0) {
            return Optional.empty();
        }
        int preface = Math.min(n, H2_PREFACE.length);
        boolean prefaceSoFar = true;
        for (int i = 0; i < preface; i++) {
            if (in.getByte(start + i) != H2_PREFACE[i]) {
                prefaceSoFar = false;
                break;
            }
        }
        if (prefaceSoFar) {
            return n >= H2_PREFACE.length ? Optional.of(Protocol.HTTP2) : Optional.empty();
        }
        // Method token: upper-case letters, then a space.
        int i = 0;
        while (i < n && i < 20 && isUpper(in.getByte(start + i))) {
            i++;
        }
        if (i == n) {
            return i < 20 ? Optional.empty() : Optional.of(Protocol.TCP);
        }
        if (i == 0 || in.getByte(start + i) != ' ') {
            return Optional.of(Protocol.TCP);
        }
        for (int j = i + 1; j < n; j++) {
            byte b = in.getByte(start + j);
            if (b == '\n') {
                String line = in.toString(start, j + 1, StandardCharsets.US_ASCII);
                return Optional.of(line.matches("[A-Z]+ \\S+ HTTP/1\\.[01]\\r?\\n") ? Protocol.HTTP1 : Protocol.TCP);
            }
            if (b < 0x20 && b != '\r' || b == 0x7f) {
                return Optional.of(Protocol.TCP);
            }
        }
        return n >= MAX_REQUEST_LINE ? Optional.of(Protocol.TCP) : Optional.empty();
    }

    private static boolean isUpper(byte b) {
        return b >= 'A' && b <= 'Z';
    }
}
