package dev.meshctl.core.hbone;

import java.io.IOException;

/**
 * Reports an HBONE stream that could not be opened, with the peer's HTTP status when it answered one.
 */
public final class HboneException extends IOException {

    /** Status used when no HTTP response was received (connect, TLS or HTTP/2 failure). */
    public static final int NO_STATUS = 0;

    private final int status;

    /** Creates an exception for a response with {@code status}. */
    public HboneException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** Creates an exception for a failure before any response. */
    public HboneException(String message, Throwable cause) {
        super(message, cause);
        this.status = NO_STATUS;
    }

    /** Returns the peer's HTTP status, or {@link #NO_STATUS} when it sent none. */
    public int status() {
        return status;
    }
}
