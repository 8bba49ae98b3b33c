package dev.meshctl.core.identity;

/**
 * Signals identity material that is malformed or not acceptable: a bad SPIFFE ID, an invalid
 * certificate chain, an unreadable PEM block or CSR, or a CA that refused to issue.
 * The message says what is wrong and, where it can, what to do about it.
 */
public final class IdentityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with an operator-facing message. */
    public IdentityException(String message) {
        super(message);
    }

    /** Creates an exception with an operator-facing message and its cause. */
    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
