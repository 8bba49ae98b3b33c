package dev.meshctl.workshops.check;

import java.time.Duration;

/** Waits between attempts; tests pass one that only records the pauses. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
