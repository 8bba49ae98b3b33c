package dev.meshctl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs meshctl command lines in-process against a given MESHCTL_HOME and captures what they print. */
final class CliRun {
  private final Map<String, String> env;

  CliRun(Path home) {
    env = new HashMap<>(System.getenv());
    env.put("MESHCTL_HOME", home.toString());
    env.remove("NO_COLOR");
  }

  /** Captures one run. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Terminal t = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false, env);
    int code = Main.commandLine(t).execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
