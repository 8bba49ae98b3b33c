package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.check.CheckOutcome;
import dev.meshctl.workshops.check.ExecResult;
import dev.meshctl.workshops.check.Templates;
import dev.meshctl.workshops.model.Check;
import dev.meshctl.workshops.model.Step;
import dev.meshctl.workshops.model.Workshop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Runs what a step needs: the prerequisites of a workshop, a step's commands, and a step's checks. */
public final class StepRunner {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
  private final Workspace workspace;

  public StepRunner(Workspace workspace) {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
  }

  /** Returns the commands that make the lab ready for {@code workshop}: lab up when needed, install, setup. */
  public List<String> prerequisiteCommands(Workshop workshop, boolean labUp) {
    List<String> commands = new ArrayList<>();
    if (!labUp) {
      commands.add("meshctl lab up --nodes " + workshop.prerequisites().nodes());
    }
    if (workshop.prerequisites().mesh()) {
      commands.add("meshctl install --wait");
    }
    commands.addAll(workshop.prerequisites().setup());
    return commands;
  }

  /** Brings the lab to the workshop's prerequisites; fails naming the command that did not work. */
  public void prepare(Workshop workshop, Templates templates) {
    for (String command : prerequisiteCommands(workshop, workspace.labUp().getAsBoolean())) {
      String rendered = templates.render(command);
      ExecResult r = announceAndRun(rendered);
      if (r.exitCode() != 0) {
        throw new WorkshopRunException("preparing workshop " + workshop.name() + ": `" + rendered + "` exited "
            + r.exitCode() + "\n" + (r.stdout() + r.stderr()).strip()
            + "\nfix that (or run it by hand), then try again");
      }
    }
  }

  /** Runs the step's commands as a person would type them; a failing command is shown, the checks then judge. */
  public void runCommands(Step step, Templates templates) {
    for (String command : step.commands()) {
      ExecResult r = announceAndRun(templates.render(command));
      if (r.exitCode() != 0) {
        var err = workspace.console().err();
        err.println(workspace.console().dim("  (exit " + r.exitCode() + ") "
            + (r.stdout() + r.stderr()).strip().lines().limit(5).reduce((a, b) -> a + "\n  " + b).orElse("")));
        err.flush();
      }
    }
  }

  /** Runs the step's checks in order; a check's saved value is visible to the checks after it. */
  public StepReport verify(int number, Step step, Templates templates) {
    List<CheckOutcome> outcomes = new ArrayList<>();
    Map<String, String> saved = new LinkedHashMap<>();
    Templates current = templates;
    for (Check check : step.checks()) {
      CheckOutcome outcome = workspace.engine().run(check, current);
      outcomes.add(outcome);
      if (outcome.passed() && check.save() != null) {
        String value = outcome.last().output().strip();
        saved.put(check.save(), value);
        current = current.with(check.save(), value);
      }
    }
    return new StepReport(number, step, outcomes, false, saved);
  }

  /** Prints each check's mark, and for a failure what did not hold, the hint and an excerpt of what the probe saw. */
  public void print(StepReport report) {
    var console = workspace.console();
    var out = console.out();
    for (CheckOutcome outcome : report.checks()) {
      if (outcome.passed()) {
        out.println("  " + console.pass() + " " + outcome.check().name());
        continue;
      }
      out.println("  " + console.fail() + " " + outcome.check().name());
      outcome.failures().forEach(f -> out.println("      " + f));
      if (!outcome.check().hint().isEmpty()) {
        out.println("      hint: " + outcome.check().hint().replace("\n", "\n            "));
      }
      out.println(console.dim(indent(outcome.excerpt(), "      | ")));
    }
    out.flush();
  }

  private ExecResult announceAndRun(String command) {
    var err = workspace.console().err();
    err.println(workspace.console().dim("$ " + command));
    err.flush();
    return workspace.executor().run(command, COMMAND_TIMEOUT);
  }

  private static String indent(String text, String prefix) {
    return prefix + text.replace("\n", "\n" + prefix);
  }
}
