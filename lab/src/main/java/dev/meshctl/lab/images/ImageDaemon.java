package dev.meshctl.lab.images;

/** Narrows a Docker daemon to what building the base image needs: look an image up, build one from a Dockerfile. */
public interface ImageDaemon {
  /** Tells whether the daemon holds image {@code ref}. */
  boolean has(String ref);

  /**
   * Builds {@code dockerfile} (no build context besides it) and tags the result {@code tag}.
   *
   * @throws dev.meshctl.lab.LabException naming the step that failed
   */
  void build(String dockerfile, String tag);
}
