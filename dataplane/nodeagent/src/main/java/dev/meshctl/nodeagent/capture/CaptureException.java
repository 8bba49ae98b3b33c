package dev.meshctl.nodeagent.capture;

/** Signals that capture rules could not be programmed; the message names the command and its output. */
public final class CaptureException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with {@code message} and its {@code cause}. */
    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates an exception with {@code message}. */
    public CaptureException(String message) {
        super(message);
    }
}
