package dev.meshctl.lab;

import java.util.List;

/** Reports what a change did, kubectl-style ("service/x created"), and what it could not do. */
public record Outcome(List<String> done, List<String> failed) {
  public Outcome {
    done = List.copyOf(done);
    failed = List.copyOf(failed);
  }

  public boolean ok() {
    return failed.isEmpty();
  }
}
