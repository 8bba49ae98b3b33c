package dev.meshctl.nodeagent.config;

/** Signals a static config file that cannot be used; the message names the file, the entry and the field. */
public final class StaticConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with an operator-facing message. */
  public StaticConfigException(String message) {
    super(message);
  }

  /** Creates an exception with an operator-facing message and its cause. */
  public StaticConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
