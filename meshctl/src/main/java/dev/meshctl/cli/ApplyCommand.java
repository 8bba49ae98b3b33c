package dev.meshctl.cli;

import dev.meshctl.lab.Outcome;
import dev.meshctl.objects.ParsedObject;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Applies Kubernetes YAML to the lab: all of it, or nothing when any object is invalid. */
@Command(name = "apply", description = "Apply objects from YAML files, directories or stdin (all or nothing).")
final class ApplyCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
      description = "File, directory or - for stdin (repeatable).")
  List<String> files;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    List<ParsedObject> objects = ObjectInput.read(files, System.in);
    Outcome outcome = root.cluster().apply(objects, root.terminal()::progress);
    Outcomes.print(root.terminal(), outcome);
  }
}
