package dev.meshctl.workshops.runner;

/** Reports why the runner could not go on (a setup command failed, no workshop started...), with what to do. */
public final class WorkshopRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkshopRunException(String message) {
    super(message);
  }
}
