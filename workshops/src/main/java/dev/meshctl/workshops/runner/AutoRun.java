package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.check.Templates;
import dev.meshctl.workshops.model.Step;
import dev.meshctl.workshops.model.Workshop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a workshop unattended: prerequisites, then each step's commands and checks, stopping at the first failed
 * step unless told to keep going.
 */
public final class AutoRun {
  private final Workspace workspace;
  private final StepRunner steps;

  public AutoRun(Workspace workspace) {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.steps = new StepRunner(workspace);
  }

  /** Runs {@code workshop} and returns what happened; prints each step's marks as it goes. */
  public RunReport run(Workshop workshop, boolean keepGoing) {
    Objects.requireNonNull(workshop, "workshop");
    Templates templates = workspace.templates(workshop, Map.of());
    steps.prepare(workshop, templates);
    List<StepReport> reports = new ArrayList<>();
    boolean stopped = false;
    var out = workspace.console().out();
    for (int i = 0; i < workshop.steps().size(); i++) {
      Step step = workshop.step(i);
      if (stopped) {
        reports.add(StepReport.skipped(i + 1, step));
        continue;
      }
      out.println(workspace.console().bold("Step " + (i + 1) + "/" + workshop.steps().size() + ": "
          + step.title()));
      out.flush();
      steps.runCommands(step, templates);
      StepReport report = steps.verify(i + 1, step, templates);
      steps.print(report);
      reports.add(report);
      for (var saved : report.saved().entrySet()) {
        templates = templates.with(saved.getKey(), saved.getValue());
      }
      stopped = !report.passed() && !keepGoing;
    }
    return new RunReport(workshop, reports);
  }
}
