package dev.meshctl.lab;

/** Reports a lab operation that failed, with a message that says what to do about it. */
public class LabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
