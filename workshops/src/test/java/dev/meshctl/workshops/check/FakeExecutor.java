package dev.meshctl.workshops.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/** Answers scripts from a function or a queue, and records every script it was asked to run. */
public final class FakeExecutor implements CommandExecutor {
  private final Function<String, ExecResult> answers;
  public final List<String> scripts = new ArrayList<>();

  public FakeExecutor(Function<String, ExecResult> answers) {
    this.answers = answers;
  }

  /** Answers with the given results in order, repeating the last one. */
  public static FakeExecutor sequence(ExecResult... results) {
    Deque<ExecResult> queue = new ArrayDeque<>(List.of(results));
    return new FakeExecutor(s -> queue.size() > 1 ? queue.poll() : queue.peek());
  }

  @Override
  public ExecResult run(String script, Duration timeout) {
    scripts.add(script);
    return answers.apply(script);
  }
}
