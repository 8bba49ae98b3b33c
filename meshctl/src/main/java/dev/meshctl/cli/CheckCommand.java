package dev.meshctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshctl.lab.Preflight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks the machine (--pre) in linkerd's style: grouped checks, ✔ or × with a hint, a closing status line. */
@Command(name = "check", description = "Check the installed mesh (--pre: check this machine before `lab up`).")
final class CheckCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--pre", description = "Check this machine before `meshctl lab up`.")
  boolean pre;

  @Option(names = "--provider", description = "Provider to check for: netns or kind (default: the lab's provider"
      + " when it is up, else netns). kind checks Docker, the kind CLI or its Testcontainers fallback, and inotify"
      + " limits.")
  String provider;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
  String output;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    String chosen = provider != null ? provider
        : dev.meshctl.lab.LabStateView.provider(root.home().labDir(root.lab())).orElse("netns");
    List<Preflight.Check> checks = pre ? root.providers().get(chosen).preflight()
        : new dev.meshctl.install.MeshCheck(root.cluster()).run();
    print(root.terminal(), checks, output);
  }

  /** Prints checks and throws (exit 1) when any failed. */
  static void print(Terminal terminal, List<Preflight.Check> checks, String output) {
    boolean ok = checks.stream().allMatch(Preflight.Check::ok);
    var out = terminal.out();
    if ("json".equals(output)) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Preflight.Check c : checks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("category", c.category());
        m.put("description", c.description());
        m.put("result", c.ok() ? "success" : "error");
        if (!c.ok()) {
          m.put("hint", c.hint());
        }
        list.add(m);
      }
      try {
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(Map.of("success", ok, "checks", list)));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("BUG: " + e.getMessage(), e);
      }
    } else {
      String category = null;
      for (Preflight.Check c : checks) {
        if (!c.category().equals(category)) {
          category = c.category();
          if (checks.indexOf(c) > 0) {
            out.println();
          }
          out.println(category);
          out.println("-".repeat(category.length()));
        }
        out.println(terminal.mark(c.ok() ? "√" : "×", c.ok()) + " " + c.description());
        if (!c.ok()) {
          out.println("    " + c.hint());
        }
      }
      out.println();
      out.println("Status check results are " + terminal.mark(ok ? "√" : "×", ok));
    }
    out.flush();
    if (!ok) {
      throw new CliException(1, "some checks failed");
    }
  }
}
