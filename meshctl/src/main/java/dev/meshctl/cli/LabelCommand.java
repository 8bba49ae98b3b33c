package dev.meshctl.cli;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sets and removes labels, as kubectl label does (this is how workloads join the mesh). */
@Command(name = "label", description = "Update labels: meshctl label namespace default istio.io/dataplane-mode=ambient")
final class LabelCommand implements Runnable {
  private static final Pattern KEY = Pattern.compile(
      "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--overwrite", description = "Allow changing labels that already have a value.")
  boolean overwrite;

  @Parameters(index = "0", paramLabel = "KIND", description = "namespace, pod, service, deployment or serviceaccount.")
  String kind;

  @Parameters(index = "1", paramLabel = "NAME")
  String name;

  @Parameters(index = "2..*", arity = "1..*", paramLabel = "KEY=VALUE|KEY-")
  List<String> changes;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> remove = new HashSet<>();
    for (String c : changes) {
      int eq = c.indexOf('=');
      if (eq > 0) {
        String key = c.substring(0, eq);
        String value = c.substring(eq + 1);
        requireValid(KEY, key, "label key");
        requireValid(VALUE, value, "label value");
        set.put(key, value);
      } else if (c.endsWith("-") && c.length() > 1) {
        String key = c.substring(0, c.length() - 1);
        requireValid(KEY, key, "label key");
        remove.add(key);
      } else {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "invalid label change \"" + c + "\": use key=value to set or key- to remove");
      }
    }
    String line = root.cluster().label(kind, namespace, name, set, remove, overwrite);
    root.terminal().out().println(line);
  }

  private void requireValid(Pattern p, String s, String what) {
    if (!p.matcher(s).matches()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "invalid " + what + " \"" + s + "\"");
    }
  }
}
