package dev.meshctl.lab;

/** Receives progress of long lab steps; the CLI renders it on stderr. */
@FunctionalInterface
public interface Progress {
  Progress NONE = step -> {};

  /** Reports that a step has started (e.g. "creating node node-2"). */
  void step(String description);
}
