package dev.meshctl.workshops.model;

/** Reports a workshop file that cannot be used, naming the file and the field. */
public final class WorkshopFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkshopFormatException(String message) {
    super(message);
  }

  public WorkshopFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
