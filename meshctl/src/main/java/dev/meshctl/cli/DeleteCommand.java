package dev.meshctl.cli;

import dev.meshctl.lab.Outcome;
import dev.meshctl.objects.ParsedObject;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Deletes the objects named in YAML files from the lab. */
@Command(name = "delete", description = "Delete the objects named in YAML files, directories or stdin.")
final class DeleteCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
      description = "File, directory or - for stdin (repeatable).")
  List<String> files;

  @Option(names = "--ignore-not-found", description = "Treat objects that do not exist as deleted (exit 0).")
  boolean ignoreNotFound;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    List<ParsedObject> objects = ObjectInput.read(files, System.in);
    Outcome outcome = root.cluster().delete(objects, root.terminal()::progress);
    Outcomes.print(root.terminal(), ignoreNotFound ? withoutNotFound(outcome) : outcome);
  }

  /** Drops the "... not found" failures (every provider reports a missing object so). */
  static Outcome withoutNotFound(Outcome outcome) {
    return new Outcome(outcome.done(), outcome.failed().stream().filter(f -> !f.endsWith(" not found")).toList());
  }
}
