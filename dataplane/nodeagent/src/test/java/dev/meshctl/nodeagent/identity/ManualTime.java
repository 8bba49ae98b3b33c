package dev.meshctl.nodeagent.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A clock that moves only when told and a scheduler that runs tasks when the clock passes them. */
final class ManualTime extends Clock implements Scheduler {

  private Instant now;
  private final List<Task> tasks = new ArrayList<>();

  ManualTime(Instant start) {
    this.now = start;
  }

  private static final class Task {
    final Runnable runnable;
    final Instant at;
    boolean cancelled;

    Task(Runnable runnable, Instant at) {
      this.runnable = runnable;
      this.at = at;
    }
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Instant at) {
    Task t = new Task(task, at);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Returns when the earliest pending task is due. */
  synchronized Optional<Instant> nextDue() {
    return tasks.stream().filter(t -> !t.cancelled).map(t -> t.at).min(Comparator.naturalOrder());
  }

  /** Runs the tasks due now, including ones they schedule for now. */
  void runDue() {
    while (true) {
      Task due;
      synchronized (this) {
        due = tasks.stream().filter(t -> !t.cancelled && !t.at.isAfter(now))
            .min(Comparator.comparing(t -> t.at)).orElse(null);
        if (due == null) {
          return;
        }
        tasks.remove(due);
      }
      due.runnable.run();
    }
  }

  /** Moves the clock to {@code instant} and runs what is due. */
  void advanceTo(Instant instant) {
    synchronized (this) {
      now = instant;
    }
    runDue();
  }

  void advance(Duration d) {
    advanceTo(instant().plus(d));
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
