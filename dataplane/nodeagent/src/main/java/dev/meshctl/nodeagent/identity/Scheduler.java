package dev.meshctl.nodeagent.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs a task at an instant; an interface so renewal timing is tested with a manual clock instead of waiting. */
@FunctionalInterface
public interface Scheduler {

  /** Runs {@code task} at {@code at} (at once if it is in the past) and returns a handle that cancels it. */
  Cancellable schedule(Runnable task, Instant at);

  /** Cancels a scheduled task; cancelling a task that already ran does nothing. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started. */
    void cancel();
  }

  /** Returns a scheduler backed by {@code executor}, converting instants to delays with {@code clock}. */
  static Scheduler of(ScheduledExecutorService executor, Clock clock) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(clock, "clock");
    return (task, at) -> {
      long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
      ScheduledFuture<?> future = executor.schedule(task, delay, TimeUnit.MILLISECONDS);
      return () -> future.cancel(false);
    };
  }
}
