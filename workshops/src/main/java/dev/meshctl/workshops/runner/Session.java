package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.check.Templates;
import dev.meshctl.workshops.model.Step;
import dev.meshctl.workshops.model.Workshop;
import java.util.Objects;

/**
 * The interactive workshop: start, show, verify, next, reset and status, with progress saved after every change so a
 * person can stop and come back.
 */
public final class Session {
  private final Workspace workspace;
  private final StepRunner steps;

  public Session(Workspace workspace) {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.steps = new StepRunner(workspace);
  }

  /** Makes {@code name} the active workshop, prepares the lab, and shows the step where the person left off. */
  public void start(String name) {
    Workshop workshop = workspace.catalog().load(Objects.requireNonNull(name, "name"));
    Progress progress = workspace.store().load();
    WorkshopProgress position = progress.of(workshop.name());
    steps.prepare(workshop, workspace.templates(workshop, position.saved()));
    workspace.store().save(progress.with(workshop.name(), position));
    var out = workspace.console().out();
    out.println(workspace.console().bold(workshop.title()));
    if (!workshop.summary().isBlank()) {
      out.println(workshop.summary().strip());
    }
    out.println();
    show();
  }

  /** Prints the current step: title, instructions, and the commands to type. */
  public void show() {
    Active active = active();
    Step step = active.workshop().step(active.position().step());
    Templates templates = workspace.templates(active.workshop(), active.position().saved());
    var console = workspace.console();
    var out = console.out();
    int n = active.position().step() + 1;
    out.println(console.bold("Step " + n + "/" + active.workshop().steps().size() + ": " + step.title())
        + (active.position().hasPassed(step.id()) ? " " + console.pass() : ""));
    out.println();
    out.print(console.markdown(step.instructions()));
    if (!step.commands().isEmpty()) {
      out.println();
      out.println(console.bold("Run:"));
      step.commands().forEach(c -> out.println("    $ " + templates.render(c)));
    }
    out.println();
    out.println(console.dim("Then: meshctl workshop verify"));
    out.flush();
  }

  /** Runs the current step's checks, prints ✔/✘ with hints, and records a pass; returns whether all passed. */
  public boolean verify() {
    Active active = active();
    int index = active.position().step();
    Step step = active.workshop().step(index);
    StepReport report = steps.verify(index + 1, step,
        workspace.templates(active.workshop(), active.position().saved()));
    var out = workspace.console().out();
    out.println(workspace.console().bold("Step " + (index + 1) + ": " + step.title()));
    steps.print(report);
    if (report.passed()) {
      workspace.store().save(active.progress().with(active.workshop().name(),
          active.position().pass(step.id(), report.saved())));
      out.println(index + 1 < active.workshop().steps().size()
          ? "Step passed. Next: meshctl workshop next" : "Step passed: that was the last step. Well done!");
    } else {
      out.println(report.failedChecks() + " of " + report.checks().size()
          + " checks failed: follow the hints, then verify again");
    }
    out.flush();
    return report.passed();
  }

  /** Moves to the next step once the current one has passed; returns false when there is none. */
  public boolean next() {
    Active active = active();
    int index = active.position().step();
    Step step = active.workshop().step(index);
    if (!active.position().hasPassed(step.id())) {
      throw new WorkshopRunException("step " + (index + 1) + " \"" + step.title()
          + "\" has not passed yet: run `meshctl workshop verify` first");
    }
    if (index + 1 >= active.workshop().steps().size()) {
      workspace.console().out().println("Workshop " + active.workshop().name()
          + " is complete. `meshctl workshop list` shows what comes next.");
      return false;
    }
    workspace.store().save(active.progress().with(active.workshop().name(), active.position().at(index + 1)));
    show();
    return true;
  }

  /** Forgets the progress in {@code name} (the active workshop when null) and goes back to its first step. */
  public void reset(String name) {
    Progress progress = workspace.store().load();
    String target = name != null ? workspace.catalog().load(name).name() : active().workshop().name();
    workspace.store().save(progress.with(target, WorkshopProgress.START));
    workspace.console().out().println("workshop " + target + " reset to step 1");
  }

  /** Prints each workshop's position, the active one marked. */
  public void status() {
    Progress progress = workspace.store().load();
    var out = workspace.console().out();
    if (progress.workshops().isEmpty()) {
      out.println("no workshop started on lab " + workspace.lab() + ": `meshctl workshop start NAME`");
      return;
    }
    for (String name : progress.workshops().keySet()) {
      Workshop workshop = workspace.catalog().load(name);
      WorkshopProgress p = progress.of(name);
      out.printf("%s %-24s step %d/%d, %d passed%n", name.equals(progress.active()) ? "*" : " ", name,
          p.step() + 1, workshop.steps().size(), p.passed().size());
      for (int i = 0; i < workshop.steps().size(); i++) {
        Step s = workshop.step(i);
        String mark = p.hasPassed(s.id()) ? workspace.console().pass() : i == p.step() ? "→" : " ";
        out.printf("    %s %d. %s%n", mark, i + 1, s.title());
      }
    }
    out.flush();
  }

  private record Active(Progress progress, Workshop workshop, WorkshopProgress position) {}

  private Active active() {
    Progress progress = workspace.store().load();
    if (progress.active() == null) {
      throw new WorkshopRunException("no workshop started on lab " + workspace.lab()
          + ": `meshctl workshop list`, then `meshctl workshop start NAME`");
    }
    Workshop workshop = workspace.catalog().load(progress.active());
    WorkshopProgress position = progress.of(workshop.name());
    if (position.step() >= workshop.steps().size()) {
      position = position.at(workshop.steps().size() - 1);
    }
    return new Active(progress, workshop, position);
  }
}
