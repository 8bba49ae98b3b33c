package dev.meshctl.cli;

import dev.meshctl.lab.LabHome;
import dev.meshctl.lab.workload.Launch;
import dev.meshctl.workshops.check.CheckEngine;
import dev.meshctl.workshops.check.ProbeRunner;
import dev.meshctl.workshops.check.ShellExecutor;
import dev.meshctl.workshops.check.Sleeper;
import dev.meshctl.workshops.model.Workshop;
import dev.meshctl.workshops.model.WorkshopCatalog;
import dev.meshctl.workshops.model.WorkshopFormatException;
import dev.meshctl.workshops.render.Console;
import dev.meshctl.workshops.runner.AutoRun;
import dev.meshctl.workshops.runner.JUnitXml;
import dev.meshctl.workshops.runner.MeshctlWrapper;
import dev.meshctl.workshops.runner.ProgressStore;
import dev.meshctl.workshops.runner.RunReport;
import dev.meshctl.workshops.runner.SamplesLocator;
import dev.meshctl.workshops.runner.Session;
import dev.meshctl.workshops.runner.Summary;
import dev.meshctl.workshops.runner.WorkshopRunException;
import dev.meshctl.workshops.runner.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists, steps through and runs the guided workshops; progress is kept per lab. */
@Command(name = "workshop", description = "Self-paced guided labs whose every step is checked by machine.",
    subcommands = {WorkshopCommand.ListWorkshops.class, WorkshopCommand.Start.class, WorkshopCommand.Show.class,
        WorkshopCommand.Verify.class, WorkshopCommand.Next.class, WorkshopCommand.Reset.class,
        WorkshopCommand.Status.class, WorkshopCommand.Run.class})
final class WorkshopCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(MeshctlCommand.root(spec).terminal().out());
  }

  /** Builds the workspace for the root's lab, runs {@code body}, and turns runner errors into CLI errors. */
  static void withWorkspace(CommandLine.Model.CommandSpec spec, Consumer<Workspace> body) {
    MeshctlCommand root = MeshctlCommand.root(spec);
    String lab = root.lab();
    LabHome home = root.home();
    Path labDir = home.labDir(lab);
    Path repo = SamplesLocator.repositoryRoot(List.of(Path.of(System.getProperty("user.dir")),
            Path.of(Launch.classpath().split(java.io.File.pathSeparator)[0])))
        .orElse(Path.of(System.getProperty("user.dir")));
    String repoEnv = root.terminal().env().get("MESHCTL_REPO");
    if (repoEnv != null && !repoEnv.isBlank()) {
      repo = Path.of(repoEnv);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (MeshctlWrapper wrapper = MeshctlWrapper.create(java, Launch.classpath(), Main.class.getName(), lab)) {
      Map<String, String> env = new HashMap<>(root.terminal().env());
      env.put("PATH", wrapper.path(env.get("PATH")));
      env.put("NO_COLOR", "1");
      ShellExecutor executor = new ShellExecutor(env, repo);
      Path workshops = home.root().resolve("workshops");
      java.util.function.BooleanSupplier labUp = () -> Files.isRegularFile(labDir.resolve("lab.json"));
      Workspace workspace = new Workspace(lab, WorkshopCatalog.shipped(), executor,
          new CheckEngine(new ProbeRunner(executor), Sleeper.SYSTEM),
          new ProgressStore(labDir, workshops.resolve(lab + ".json"), labUp),
          workshops.resolve("files"), workshops.resolve("work").resolve(lab), repo.resolve("samples"), labUp,
          new Console(root.terminal().out(), root.terminal().err(), root.terminal().colour()));
      body.accept(workspace);
    } catch (WorkshopRunException | WorkshopFormatException | UncheckedIOException e) {
      throw new CliException(1, e.getMessage());
    } finally {
      root.terminal().out().flush();
    }
  }

  @Command(name = "list", description = "List the workshops, one per line, name first.")
  static final class ListWorkshops implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      var out = MeshctlCommand.root(spec).terminal().out();
      try {
        for (Workshop w : WorkshopCatalog.shipped().all()) {
          out.printf("%-22s %s (%d steps, %d checks; needs %s)%n", w.name(), w.title(), w.steps().size(),
              w.checkCount(), w.prerequisites().describe());
        }
      } catch (WorkshopFormatException e) {
        throw new CliException(1, e.getMessage());
      }
      out.flush();
    }
  }

  @Command(name = "start", description = "Start (or resume) a workshop: prepares the lab and shows the current step.")
  static final class Start implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workshop name (see `meshctl workshop list`).")
    String name;

    @Override
    public void run() {
      withWorkspace(spec, w -> new Session(w).start(name));
    }
  }

  @Command(name = "show", description = "Show the current step again.")
  static final class Show implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      withWorkspace(spec, w -> new Session(w).show());
    }
  }

  @Command(name = "verify", description = "Check the current step: ✔/✘ per check, with a hint for each failure.")
  static final class Verify implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      withWorkspace(spec, w -> {
        if (!new Session(w).verify()) {
          throw new WorkshopRunException("the step is not done yet: follow the hints above, then verify again");
        }
      });
    }
  }

  @Command(name = "next", description = "Go to the next step once the current one has passed.")
  static final class Next implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      withWorkspace(spec, w -> new Session(w).next());
    }
  }

  @Command(name = "reset", description = "Go back to the first step of a workshop (default: the active one).")
  static final class Reset implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Workshop name.")
    String name;

    @Override
    public void run() {
      withWorkspace(spec, w -> new Session(w).reset(name));
    }
  }

  @Command(name = "status", description = "Show where you are in each workshop started on this lab.")
  static final class Status implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      withWorkspace(spec, w -> new Session(w).status());
    }
  }

  @Command(name = "run", description = "Run workshops unattended: every step's commands, then its checks.")
  static final class Run implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "NAME", description = "Workshop names.")
    List<String> names;

    @Option(names = "--auto", description = "Run without stopping for a person (required).")
    boolean auto;

    @Option(names = "--keep-going", description = "Run the remaining steps after a failed one.")
    boolean keepGoing;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML.")
    Path junit;

    @Override
    public void run() {
      if (!auto) {
        throw new CommandLine.ParameterException(spec.commandLine(), "`workshop run` is unattended: add --auto, or "
            + "go step by step with `meshctl workshop start NAME`");
      }
      List<RunReport> reports = new ArrayList<>();
      withWorkspace(spec, w -> {
        AutoRun runner = new AutoRun(w);
        try {
          for (String name : names) {
            RunReport report = runner.run(w.catalog().load(name), keepGoing);
            reports.add(report);
            w.console().out().println(report.workshop().name() + ": " + Summary.line(report, w.console()));
          }
        } finally {
          writeJunit(reports);
        }
      });
      List<String> failed = reports.stream().filter(r -> !r.passed()).map(r -> r.workshop().name()).toList();
      if (!failed.isEmpty()) {
        throw new CliException(1, "workshop " + String.join(", ", failed) + " failed");
      }
    }

    private void writeJunit(List<RunReport> reports) {
      if (junit == null || reports.isEmpty()) {
        return;
      }
      try {
        Path parent = junit.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(junit, JUnitXml.render(reports), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(1, "cannot write JUnit XML to " + junit + ": " + e.getMessage());
      }
    }
  }
}
